/** Parse JSON from an outside source; undefined instead of an exception when it is not JSON. */
export function parseJsonOrUndefined(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
