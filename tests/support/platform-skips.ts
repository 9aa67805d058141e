/**
 * Skips for tests that need POSIX behaviour (file modes, O_NOFOLLOW, symbolic links, signals) or
 * Debian's tools: on Windows they are skipped with the reason printed, so a green Windows run says
 * what it did not cover.
 */
import { describe, it } from 'vitest';

export const onWindows = process.platform === 'win32';

/** `describe` that skips on Windows, printing why (for example "needs POSIX file modes"). */
export function describePosixOnly(reason: string): ReturnType<typeof describe.skipIf> {
  if (onWindows) console.log(`Skipping on Windows: ${reason}.`);
  return describe.skipIf(onWindows);
}

/** `it` that skips on Windows, printing why. */
export function itPosixOnly(reason: string): ReturnType<typeof it.skipIf> {
  if (onWindows) console.log(`Skipping on Windows: ${reason}.`);
  return it.skipIf(onWindows);
}
