/**
 * Skips for tests that need POSIX behaviour (file modes, O_NOFOLLOW, symbolic links, signals) or
 * Debian's tools: on Windows they are skipped with the reason as the skip note, which the summary
 * reporter lists (a skip without a note counts as failed), so a green Windows run says what it did not cover.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

/**
 * The Electron binary, if this machine has one. Electron ≥ 42 downloads it on first launch, which
 * the CI machines cannot do; there the tray app is proven with the stand-in (tests/electron-standin).
 */
export function electronBinary(): string | null {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** `it` that runs only where a real Electron binary exists, skipped elsewhere with the reason as the note. */
export function itWithElectron(name: string, fn: (binary: string, ctx: TestContext) => unknown, timeout?: number): void {
  it(name, (ctx) => {
    const binary = electronBinary();
    ctx.skip(binary === null, 'no Electron binary on this machine (Electron downloads it on first launch; this machine cannot): the stand-in tests (tests/e2e/desktop-*.test.ts) cover the shell here');
    return fn(binary ?? '', ctx);
  }, timeout);
}
