import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cli-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The modules the CLI process resolves for `args` (every ESM import, logged by module-log-hooks.mjs). */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const log = join(dir, `${args.join('-')}.log`);
  const register = join(root, 'tests/support/module-log-register.mjs');
  await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', register, join(root, 'src-main/cli/main.ts'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: dir, ICLOUD_PHOTO_SYNC_DATA_DIR: join(dir, 'data'), MODULE_LOG: log },
  });
  return readFileSync(log, 'utf8').split('\n').filter((url) => url !== '');
}

describe('the CLI loads only what a command needs (issue 11: start-up memory)', () => {
  it('--help loads neither the Azure SDK nor the archive code', async () => {
    const modules = await modulesLoadedBy(['--help']);
    expect(modules.some((url) => url.includes('src-main/cli/program'))).toBe(true);
    expect(modules.filter((url) => url.includes('/node_modules/@azure/') || url.includes('/src-main/archive/archive-run'))).toEqual([]);
  });
});
