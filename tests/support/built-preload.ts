import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';

/** Builds the Electron preload bundle (`vite build --mode preload`) into a fresh temp folder; returns the file. */
export async function buildPreload(): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'ips-preload-'));
  await build({ configFile: path.resolve('vite.config.ts'), mode: 'preload', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return path.join(outDir, 'preload.cjs');
}
