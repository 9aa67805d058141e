/**
 * The real CLI and the files it depends on: a damaged or newer tracker database, adopting a folder
 * another downloader filled, and the verbose dry-run listing.
 */
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER_FILE, TEMP_DIR } from '../../src-main/sync/folder-marker.js';
import { openSignedInCliWorld, type SignedInCliWorld } from './cli-harness.js';

let world: SignedInCliWorld;
let trackerPath: string;

const syncJson = async (env: NodeJS.ProcessEnv = {}) => {
  const result = await world.cli(['sync', '--json'], { env });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};
const contentRequests = () => world.sim.requestLog().filter((e) => e.role === 'content').length;

beforeAll(async () => {
  world = await openSignedInCliWorld({ assets: 20, seed: 41 });
  trackerPath = world.trackerPath;
});
afterAll(async () => world?.close());

describe('icloud-photo-sync: the tracker database and the folder (real CLI against the simulator)', () => {
  it('--dry-run --verbose lists every planned action in a table and changes nothing', async () => {
    const result = await world.cli(['sync', '--dry-run', '--verbose']);
    expect(result.exitCode, result.stderr).toBe(0);
    const downloads = result.stdout.split('\n').filter((line) => line.startsWith('download '));
    const planned = Number(/Planned downloads:\s+(\d+)/.exec(result.stdout)?.[1]);
    expect(planned).toBeGreaterThan(10);
    expect(downloads).toHaveLength(planned);
    expect(result.stdout).toContain('dry run: nothing changed');
    expect(existsSync(trackerPath)).toBe(false);
  });

  it('every command logs JSON lines to logs/cli.log in the data folder, the run plan included', async () => {
    const lines = readFileSync(join(world.dataDir, 'logs', 'cli.log'), 'utf8').trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.every((r) => typeof r.level === 'number' && typeof r.time === 'number' && typeof r.msg === 'string')).toBe(true);
    expect(records.some((r) => r.scope === 'cli.sync' && String(r.msg).startsWith('plan:') && typeof r.download === 'number')).toBe(true);
  });

  it('a damaged database: exit 10, a plain message naming the backup; the next run re-adopts the folder', async () => {
    const first = await syncJson();
    const files = first.downloaded as number;
    const garbage = Buffer.from('this is not a database '.repeat(400));
    writeFileSync(trackerPath, garbage);
    const broken = await world.cli(['sync']);
    expect(broken.exitCode).toBe(10);
    expect(broken.stderr).toContain('[DATABASE_CORRUPT]');
    const backup = /^Backup: (.+)$/m.exec(broken.stderr)?.[1];
    expect(backup, broken.stderr).toBeDefined();
    expect(readFileSync(backup!).equals(garbage)).toBe(true);

    const requests = contentRequests();
    expect(await syncJson()).toMatchObject({ outcome: 'success', downloaded: 0, adopted: files });
    expect(contentRequests()).toBe(requests);
  });

  it('a database from a newer version: exit 10, the file untouched, for sync and status alike', async () => {
    const saved = `${trackerPath}.saved`;
    copyFileSync(trackerPath, saved);
    const db = new Database(trackerPath);
    db.pragma('user_version = 999');
    db.close();
    const before = readFileSync(trackerPath);
    for (const command of ['sync', 'status']) {
      const result = await world.cli([command]);
      expect(result.exitCode, command).toBe(10);
      expect(result.stderr).toContain('[DATABASE_TOO_NEW]');
    }
    expect(readFileSync(trackerPath).equals(before)).toBe(true);
    copyFileSync(saved, trackerPath);
  });

  it('adopts a folder another downloader filled (icloudpd layout): nothing is fetched again', async () => {
    const adopted = join(dirname(world.folder), 'FromIcloudpd');
    cpSync(world.folder, adopted, { recursive: true, filter: (src) => !src.endsWith(MARKER_FILE) && !src.includes(TEMP_DIR) });
    expect(readdirSync(adopted)).not.toContain(MARKER_FILE);
    const env = { ICLOUD_PHOTO_SYNC_SYNC_FOLDER: adopted, ICLOUD_PHOTO_SYNC_DATA_DIR: join(world.base, 'data-adopt') };
    // A fresh data folder needs its own sign-in.
    expect((await world.cli(['auth'], { env, input: `${world.sim.code}\n` })).exitCode).toBe(0);
    const setup = await world.cli(['setup'], { env });
    expect(setup.stdout).toContain('adopted');
    const requests = contentRequests();
    const result = await syncJson(env);
    expect(result).toMatchObject({ outcome: 'success', downloaded: 0 });
    expect(result.adopted).toBeGreaterThan(10);
    expect(contentRequests()).toBe(requests);
  });
});
