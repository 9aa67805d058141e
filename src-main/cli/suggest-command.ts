/**
 * "Did you mean …?" for a mistyped command, only when the guess is close: one typo in a short word,
 * two in a longer one, or the start of exactly one command. Commander's own guess is looser (it
 * offered "logout" for "bogus"), so the program turns it off for commands and uses this instead.
 */

/** Edit distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function suggestCommand(typed: string, commands: string[]): string | null {
  const word = typed.toLowerCase();
  const starts = commands.filter((name) => word.length >= 3 && name.startsWith(word));
  if (starts.length === 1) return starts[0] ?? null;
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; distance: number } | null = null;
  for (const name of commands) {
    const distance = editDistance(word, name);
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}
