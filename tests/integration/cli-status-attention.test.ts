import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimLibrary } from '../sim/library/index.js';
import { openSignedInCliWorld, type SignedInCliWorld } from './cli-harness.js';

let world: SignedInCliWorld;

beforeAll(async () => {
  // The shared library has a revoked photo: iCloud answers ACCESS_DENIED for it (issue 8).
  world = await openSignedInCliWorld({ assets: 8, sharedAssets: 4, seed: 5 });
});
afterAll(async () => world?.close());

describe('icloud-photo-sync status: records iCloud refuses (real CLI against the simulator)', () => {
  it('status lists the refused records in --json and counts them for people', async () => {
    const library = world.sim.library as SimLibrary;
    const denied = [...library.assets(library.sharedZoneName)].find((a) => a.accessDenied);
    expect(denied).toBeDefined();
    const sync = await world.cli(['sync', '--json']);
    expect(sync.exitCode, sync.stderr).toBe(0);

    const status = await world.cli(['status', '--json']);
    expect(status.exitCode, status.stderr).toBe(0);
    const refused = (JSON.parse(status.stdout) as { needsAttention: Array<{ assetId: string; code: string; message: string }> }).needsAttention;
    expect(refused.map((r) => r.assetId).sort()).toEqual([denied!.id, denied!.masterId].sort());
    expect(refused[0]!.message).toMatch(/refuses/);
    expect(refused.every((r) => r.code === 'ACCESS_DENIED')).toBe(true);

    const human = await world.cli(['status']);
    expect(human.stdout).toMatch(/Needs attention\s*:?\s*2 items refused by iCloud/);
  });
});

describe('icloud-photo-sync status: the tracker is only read (real CLI against the simulator)', () => {
  it('status reads the tracker in place: the folder keeps its file set and the database its bytes', async () => {
    const sync = await world.cli(['sync', '--json']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    const folder = dirname(world.trackerPath);
    const filesBefore = readdirSync(folder).sort();
    expect(filesBefore).not.toContain(`${basename(world.trackerPath)}-wal`);
    const bytesBefore = readFileSync(world.trackerPath);

    const status = await world.cli(['status', '--json']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { counts: { downloaded: number } }).counts.downloaded).toBeGreaterThan(0);

    expect(readdirSync(folder).sort()).toEqual(filesBefore);
    expect(readFileSync(world.trackerPath).equals(bytesBefore)).toBe(true);
  });
});

describe('icloud-photo-sync status: a file that keeps failing (real CLI against the simulator)', () => {
  it('the summary names the failing file in plain words, also while it backs off, beside the refused records', async () => {
    expect((await world.cli(['sync', '--json'])).exitCode).toBe(0);
    // A new photo whose day folder is taken by a plain file: it fails twice, then waits out its backoff on the third run.
    world.sim.library.addAsset({ assetDate: Date.UTC(1999, 0, 1, 12), filename: 'BLOCKED.JPG' });
    mkdirSync(join(world.folder, '1999', '01'), { recursive: true });
    writeFileSync(join(world.folder, '1999', '01', '01'), 'not a folder');
    const failed = [];
    for (let run = 0; run < 3; run++) failed.push((JSON.parse((await world.cli(['sync', '--json'])).stdout) as { failed: number }).failed);
    expect(failed).toEqual([1, 1, 0]);

    const human = await world.cli(['status']);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Needs attention\s*:?\s*1 file failed to download \(tried again on later runs\); 2 items refused by iCloud/);
  });
});
