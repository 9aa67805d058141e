import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
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
    expect(human.stdout).toMatch(/Refused by iCloud\s*:?\s*2/);
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
