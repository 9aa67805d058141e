import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, leakedSecrets, runCliProcess } from './cli-harness.js';

const base = mkdtempSync(join(tmpdir(), 'cli-secret-'));
const dataDir = join(base, 'data');
const env = cliEnv(null, dataDir);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('icloud-photo-sync secret', () => {
  it('sets a secret from one line of stdin into a 0600 secrets.json, lists names only, clears it', async () => {
    const value = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
    const set = await runCliProcess(['secret', 'set', 'pushover-token'], env, `${value}\nignored second line\n`);
    expect(set.exitCode, set.stderr).toBe(0);
    const file = join(dataDir, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'pushover-token': value });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const list = await runCliProcess(['secret', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([{ name: 'pushover-token', source: 'secrets file', envName: 'ICLOUD_PHOTO_SYNC_PUSHOVER_TOKEN' }]);
    const logs = readFileSync(join(dataDir, 'logs', 'cli.log'), 'utf8');
    expect(leakedSecrets(set.stdout + set.stderr + list.stdout + list.stderr + logs, { value })).toEqual([]);

    expect((await runCliProcess(['secret', 'clear', 'pushover-token'], env)).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
    const again = await runCliProcess(['secret', 'clear', 'pushover-token'], env);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('No secret "pushover-token"');
  }, 60_000);

  it('refuses an empty value and a bad name with exit code 2, saving nothing', async () => {
    const empty = await runCliProcess(['secret', 'set', 'ntfy-token'], env, '\n');
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('empty');
    const bad = await runCliProcess(['secret', 'set', 'Bad Name'], env, 'x\n');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('not a secret name');
  }, 60_000);
});
