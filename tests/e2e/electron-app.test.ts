import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';

/** The Electron binary, if this machine has one; it cannot be downloaded on the CI machines. */
function findElectronBinary(): string | null {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = findElectronBinary();

describe('Electron app', () => {
  it('opens its window with the status view (needs `npm run build` first)', async ({ skip }) => {
    skip(!binary, 'no Electron binary on this machine (Electron downloads it on first launch; this machine cannot)');
    const app = await electron.launch({ executablePath: binary ?? '', args: ['.'] });
    const window = await app.firstWindow();
    await expect(window.title()).resolves.toBe('iCloud Photo Sync');
    await app.close();
  });
});
