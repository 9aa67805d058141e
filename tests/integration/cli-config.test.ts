import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTING_KEYS, envNameOf } from '../../src-main/config/settings.js';
import { cliEnv, runCliProcess } from './cli-harness.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'cli-config-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runCliProcess(args, cliEnv(null, join(base, 'data'), { ICLOUD_PHOTO_SYNC_APPLE_ID: 'someone@example.test', ...extra }));

describe('configuration errors exit 2 and name the key, the value and what is allowed', () => {
  it('a bad environment value', async () => {
    const result = await cli(['status'], { ICLOUD_PHOTO_SYNC_CONCURRENCY: '99' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('"concurrency" (from ICLOUD_PHOTO_SYNC_CONCURRENCY) has the value 99; allowed: a whole number from 1 to 16');
    expect(result.stderr).toContain('[CONFIG_INVALID]');
  });

  it('a bad flag value, also as JSON on stdout with --json', async () => {
    const result = await cli(['status', '--json', '--region', 'moon']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'CONFIG_INVALID', exitCode: 2 } });
    expect(result.stderr).toContain('"region" (from --region) has the value "moon"');
  });

  it('an unknown key in the config file, and a missing config file', async () => {
    const file = join(base, 'config.json');
    writeFileSync(file, JSON.stringify({ appleId: 'x@example.test', concurreny: 4 }));
    const unknown = await cli(['status', '--config', file]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('Unknown setting "concurreny"');
    const missing = await cli(['status', '--config', join(base, 'nope.json')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.json does not exist');
  });

  it('an unknown option or command is a usage error (exit 2)', async () => {
    expect((await cli(['sync', '--dry-runn'])).exitCode).toBe(2);
    expect((await cli(['syncc'])).exitCode).toBe(2);
    expect((await cli(['status', '--json', '--csv'])).exitCode).toBe(2);
  });

  it('setup creates the config file --config names, holding the Apple ID and folder it was given', async () => {
    const file = join(base, 'new-config.json');
    const folder = join(base, 'Photos');
    const result = await cli(['setup', '--config', file, '--apple-id', 'new@example.test', '--sync-folder', folder], { ICLOUD_PHOTO_SYNC_APPLE_ID: '' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ appleId: 'new@example.test', syncFolder: folder });
    // Other commands still refuse a --config file that is not there.
    expect((await cli(['status', '--config', join(base, 'other.json')])).exitCode).toBe(2);
  });

  it('a password file others can read is refused (PASSWORD_FILE_UNSAFE, exit 2)', async ({ skip }) => {
    skip(process.platform === 'win32', 'needs POSIX file modes (chmod 644), which Windows does not have');
    const file = join(base, 'password');
    writeFileSync(file, 'secret-password\n');
    chmodSync(file, 0o644);
    const result = await cli(['auth'], { ICLOUD_PHOTO_SYNC_PASSWORD_FILE: file });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('PASSWORD_FILE_UNSAFE');
    expect(result.stderr).toContain('chmod 600');
    expect(result.stderr + result.stdout).not.toContain('secret-password');
  });

  it('doctor reports a bad configuration as a failed check', async () => {
    const result = await cli(['doctor', '--json'], { ICLOUD_PHOTO_SYNC_MEDIA: 'gifs' });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ check: 'configuration', status: 'fail', code: 'CONFIG_INVALID' })]);
  });

  it('help and version exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.exitCode).toBe(0);
    for (const command of ['setup', 'auth', 'logout', 'sync', 'status', 'deleted', 'daemon', 'doctor']) expect(help.stdout).toContain(command);
    expect((await cli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('.env.example documents every variable the CLI reads', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const names = [...SETTING_KEYS.map(envNameOf), 'ICLOUD_PHOTO_SYNC_DATA_DIR', 'ICLOUD_PHOTO_SYNC_CONFIG', 'ICLOUD_PHOTO_SYNC_PASSWORD'];
    for (const name of names) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
