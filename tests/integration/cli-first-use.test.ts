/**
 * The command line as a new user meets it, through the real CLI against the simulator: the
 * README's first steps with no flags after `setup`, quiet runs for cron, what `deleted` says and
 * restores, one date format, readable sizes, tables within 80 columns, and cli.log for every command.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER_FILE } from '../../src-main/sync/folder-marker.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';
import { openCliWorld, trackedFiles, type CliWorld } from './cli-harness.js';
import { cliSimEnv } from '../cli-sim/sim-network.js';
import { trackerFile, dataPaths } from '../../src-main/config/paths.js';

let world: CliWorld;
const ISO_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const tracker = () => trackerFile(dataPaths(world.dataDir), world.sim.account.appleId);
const downloaded = (): TrackedFile[] => trackedFiles(tracker()).filter((f) => f.state === 'downloaded');
const onDisk = (file: TrackedFile) => join(world.folder, ...file.relPath.split('/'));
const logLines = () =>
  readFileSync(join(world.dataDir, 'logs', 'cli.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  world = await openCliWorld({ assets: 12, seed: 31 });
  // A new user has nothing in the environment: the Apple ID and folder come from setup's flags only.
  delete world.env.ICLOUD_PHOTO_SYNC_APPLE_ID;
  delete world.env.ICLOUD_PHOTO_SYNC_SYNC_FOLDER;
});
afterAll(async () => world?.close());

describe('first use, as the README tells it', () => {
  it('before setup, auth says to run setup (NOT_SET_UP, exit 11), not that a setting is invalid', async () => {
    const result = await world.cli(['auth']);
    expect(result.exitCode).toBe(11);
    expect(result.stderr).toContain('[NOT_SET_UP]');
    expect(result.stderr).toContain('icloud-photo-sync setup --apple-id');
    expect(result.stderr).not.toContain('A setting is not valid');
  });

  it('setup refuses a folder it cannot create, in plain words, and saves nothing', async () => {
    const file = join(world.folder, '..', 'a-file.txt');
    writeFileSync(file, 'not a folder');
    const folder = join(file, 'Photos');
    const result = await world.cli(['--apple-id', world.sim.account.appleId, '--sync-folder', folder, 'setup']);
    rmSync(file);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(`${folder} cannot be created: ${file} is a file, not a folder. Choose another folder.`);
    expect(result.stderr).not.toContain('ENOTDIR');
    expect(existsSync(join(world.dataDir, 'config.json'))).toBe(false);
  });

  it('setup saves the Apple ID and the folder in the config file and says so', async () => {
    const result = await world.cli(['--apple-id', world.sim.account.appleId, '--sync-folder', world.folder, 'setup']);
    expect(result.exitCode, result.stderr).toBe(0);
    const configFile = join(world.dataDir, 'config.json');
    expect(result.stdout).toContain(`Saved:       appleId, syncFolder in ${configFile}`);
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ appleId: world.sim.account.appleId, syncFolder: world.folder });
    if (process.platform !== 'win32') expect(statSync(configFile).mode & 0o777).toBe(0o600);
  });

  it('then auth and sync need no flags', async () => {
    const auth = await world.cli(['auth'], { env: { ICLOUD_PHOTO_SYNC_PASSWORD: world.sim.account.password }, input: `${world.sim.code}\n` });
    expect(auth.exitCode, auth.stderr).toBe(0);
    expect(auth.stdout).toContain('signed in');
    const sync = await world.cli(['sync']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(downloaded().length).toBeGreaterThan(5);
  });

  it('sync --quiet prints nothing when all went well (nothing for cron to mail)', async () => {
    const result = await world.cli(['sync', '--quiet']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
  });
});

describe('deleted files', () => {
  it('deleted says that files deleted by hand appear after the next sync', async () => {
    const victim = downloaded()[0] as TrackedFile;
    rmSync(onDisk(victim));
    const before = await world.cli(['deleted']);
    expect(before.stdout).toContain('(none)');
    expect(before.stdout).toMatch(/Files you deleted since the last sync \(\d{4}-\d{2}-\d{2}T[\d:]+Z\) are listed\nonce the next sync notices them/);
    expect((await world.cli(['sync'])).exitCode).toBe(0);
    const after = await world.cli(['deleted']);
    expect(after.stdout).toContain(victim.relPath);
  });

  it('lists with readable sizes and ISO dates in a table within 80 columns; --json keeps raw bytes', async () => {
    const human = await world.cli(['deleted']);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toMatch(/^Path\s+Version\s+Noticed\s+Size$/);
    expect(lines[2]).toMatch(/\s\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\s+[\d.]+ (B|KB|MB)$/);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const [row] = JSON.parse((await world.cli(['deleted', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(typeof row?.size).toBe('number');
    for (const key of ['noticedAt', 'recordedAt', 'modifiedAt']) expect(row?.[key], key).toMatch(ISO_SECOND);
  });

  it('restore takes a folder (everything under it) and prints what it restored under a heading', async () => {
    const files = downloaded();
    const folder = (files[1] as TrackedFile).relPath.split('/').slice(0, -1).join('/');
    const inFolder = files.filter((f) => f.relPath.startsWith(`${folder}/`));
    for (const file of inFolder) rmSync(onDisk(file));
    expect((await world.cli(['sync', '--confirm-deletions', String(inFolder.length)])).exitCode).toBe(0);

    const result = await world.cli(['deleted', 'restore', join(world.folder, ...folder.split('/'))]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('Restored (the next sync downloads these again):');
    expect(lines[1]).toMatch(/^Path\s+Version\s+Noticed\s+Size$/);
    // One row per file (long names are cut in the middle to fit 80 columns; --json has them whole).
    expect(lines.slice(3).every((line) => line.startsWith(`${folder}/`))).toBe(true);
    expect(lines).toHaveLength(3 + inFolder.length);
    expect(trackedFiles(tracker()).filter((f) => f.state === 'deleted-locally').every((f) => !f.relPath.startsWith(`${folder}/`))).toBe(true);
  });

  it('restore --all un-marks every deleted file; a name that matches nothing exits 12 (NOTHING_TO_RESTORE)', async () => {
    const none = await world.cli(['deleted', 'restore', 'no/such/file.jpg']);
    expect(none.exitCode).toBe(12);
    expect(none.stderr).toContain('[NOTHING_TO_RESTORE]');
    expect(none.stderr).not.toContain('A setting is not valid');
    const missing = await world.cli(['deleted', 'restore']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('--all');

    const all = await world.cli(['deleted', 'restore', '--all', '--json']);
    expect(all.exitCode, all.stderr).toBe(0);
    expect((JSON.parse(all.stdout) as unknown[]).length).toBeGreaterThan(0);
    expect(trackedFiles(tracker()).filter((f) => f.state === 'deleted-locally')).toEqual([]);
    expect((await world.cli(['sync'])).exitCode).toBe(0);
  });
});

describe('status: one date format, days that add up, a table that fits', () => {
  it('shows ISO 8601 dates, 30 trust days right after sign-in, readable sizes, within 80 columns', async () => {
    const json = JSON.parse((await world.cli(['status', '--json'])).stdout) as { trustExpiresAt: string; trustDaysLeft: number; runs: Array<{ startedAt: string; bytes: unknown }> };
    expect(json.trustExpiresAt).toMatch(ISO_SECOND);
    // The simulator trusts a session for 30 days from sign-in, a few seconds ago.
    expect(json.trustDaysLeft).toBe(30);
    expect(json.runs[0]?.startedAt).toMatch(ISO_SECOND);
    expect(typeof json.runs[0]?.bytes).toBe('number');

    const human = await world.cli(['status']);
    expect(human.stdout).toMatch(/Trusted until:\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\n/);
    expect(human.stdout).toMatch(/Trust days left:\s+30\n/);
    const table = human.stdout.slice(human.stdout.indexOf('Last runs:'));
    expect(table).toMatch(/\n\d+\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\s+success\s+\d+\s+0\s+[\d.]+ (B|KB|MB)/);
    for (const line of table.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});

describe('a run that cannot start', () => {
  it('a missing folder and an unreachable iCloud look alike: the error only, a recorded run, their own exit code', async () => {
    const marker = join(world.folder, MARKER_FILE);
    renameSync(marker, `${marker}.away`);
    const missing = await world.cli(['sync']);
    renameSync(`${marker}.away`, marker);
    // Nothing answers on this port: the connection is refused.
    const offline = await world.cli(['sync'], { env: { ...cliSimEnv({ auth: 'http://idmsa.apple.test:9/appleauth/auth', setup: 'http://setup.icloud.test:9/setup/ws/1', webOrigin: 'http://www.icloud.test:9' }), ICLOUD_PHOTO_SYNC_PASSWORD: world.sim.account.password } });
    for (const [result, code, exit] of [[missing, 'FOLDER_MISSING', 8], [offline, 'NETWORK', 9]] as const) {
      expect(result.exitCode, result.stderr).toBe(exit);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^Error: .+ \\[${code}\\]$`, 'm'));
    }
    const runs = (JSON.parse((await world.cli(['status', '--json'])).stdout) as { runs: Array<{ errorCode: string | null }> }).runs;
    expect(runs.slice(0, 2).map((r) => r.errorCode)).toEqual(['NETWORK', 'FOLDER_MISSING']);
  });
});

describe('cli.log', () => {
  it('every command writes to it: status, deleted, a successful auth, and a configuration error', async () => {
    const before = logLines().length;
    for (const args of [['status'], ['deleted'], ['auth'], ['status', '--concurrency', '99']]) await world.cli(args);
    const lines = logLines().slice(before);
    for (const scope of ['status', 'deleted', 'auth']) expect(lines.some((l) => l.msg === `command: ${scope}`), scope).toBe(true);
    expect(lines.filter((l) => l.msg === 'command finished' && l.exitCode === 0)).toHaveLength(3);
    expect(lines.some((l) => l.msg === 'command failed' && l.code === 'CONFIG_INVALID' && l.exitCode === 2)).toBe(true);
  });
});
