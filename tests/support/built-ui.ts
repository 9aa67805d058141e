import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';

/** Builds the renderer with the project's Vite config into a fresh temp folder (the caller removes it). */
export async function buildUi(): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'ips-ui-'));
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return outDir;
}
