/**
 * Skips for tests that need POSIX behaviour (file modes, O_NOFOLLOW, symbolic links, signals) or
 * Debian's tools: on Windows they are skipped with the reason as the skip note, which the summary
 * reporter lists (a skip without a note counts as failed), so a green Windows run says what it did not cover.
 */
import { describe, it, type TestContext } from 'vitest';

export const onWindows = process.platform === 'win32';

/**
 * `describe` that skips on Windows with the reason as the note. The group's body is not collected
 * there (so its beforeAll, which may build or chmod, never runs); one skipped test stands for it.
 */
export function describePosixOnly(reason: string): (name: string, fn: () => void) => void {
  return (name, fn) => {
    describe(name, onWindows ? () => { it('(all tests of this group)', (ctx) => ctx.skip(true, reason)); } : fn);
  };
}

/** `it` that skips on Windows with the reason as the note. */
export function itPosixOnly(reason: string): (name: string, fn: (ctx: TestContext) => unknown, timeout?: number) => void {
  return (name, fn, timeout) => {
    it(name, (ctx) => {
      ctx.skip(onWindows, reason);
      return fn(ctx);
    }, timeout);
  };
}
