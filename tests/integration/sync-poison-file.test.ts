import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSyncStatus } from '../../src-main/sync/sync-queries.js';
import { syncWorlds, type SyncWorld } from './sync-helpers.js';

const SMALL = { photo: [2048, 4096] as [number, number], video: [4096, 8192] as [number, number], raw: [4096, 8192] as [number, number], liveVideo: [4096, 8192] as [number, number] };

/**
 * A new photo dated `day` (UTC noon) whose day folder is taken by a plain file: its download can
 * never be written. `[year, month, day]` must be a day no other photo has.
 */
function poisonPhoto(world: SyncWorld, [year, month, day]: [string, string, string], filename: string) {
  const photo = world.session.library.addAsset({ assetDate: Date.UTC(Number(year), Number(month) - 1, Number(day), 12), filename });
  mkdirSync(join(world.folder, year, month), { recursive: true });
  writeFileSync(join(world.folder, year, month, day), 'not a folder');
  return photo;
}

describe('sync: one file that always fails does not hold the library back', () => {
  const openWorld = syncWorlds();

  it('later runs stay incremental, retry it with backoff, then show it as needing attention; it lands once fixed', async () => {
    const world = await openWorld({ assets: 30, sizes: SMALL });
    const lib = world.session.library;
    expect((await world.run()).outcome).toBe('success');

    const poison = poisonPhoto(world, ['1999', '01', '01'], 'POISON.JPG');
    const fine = lib.addAsset();

    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'partial', listing: 'incremental' });
    expect(second.failures.map((f) => f.assetId)).toEqual([poison.masterId]);
    expect(world.tracked().some((f) => f.assetId === fine.masterId)).toBe(true);

    const runs = [second];
    for (let i = 0; i < 5; i++) {
      const later = lib.addAsset();
      const run = await world.run();
      runs.push(run);
      // The position moved on: every later run reads only the change feed, and gets the new photo.
      expect(run.listing).toBe('incremental');
      expect(world.tracked().some((f) => f.assetId === later.masterId)).toBe(true);
    }
    // Retried, but not on every run: attempts back off (runs 2, 3, 5, then 9).
    const tried = runs.map((run) => run.failures.some((f) => f.assetId === poison.masterId));
    expect(tried).toEqual([true, true, false, true, false, false]);
    expect(runs.map((run) => run.outcome)).toEqual(['partial', 'partial', 'success', 'partial', 'success', 'success']);

    const status = readSyncStatus(world.databasePath);
    expect(status.needsAttention).toHaveLength(1);
    expect(status.needsAttention[0]).toMatchObject({ assetId: poison.masterId, version: 'original', attempts: 3 });
    expect(status.needsAttention[0]!.message).toMatch(/1999/);

    // Fixed by the user: the next retry downloads it and the error is gone.
    rmSync(join(world.folder, '1999', '01', '01'));
    for (let i = 0; i < 4 && !world.tracked().some((f) => f.assetId === poison.masterId); i++) await world.run();
    expect(world.tracked().some((f) => f.assetId === poison.masterId && f.state === 'downloaded')).toBe(true);
    expect(readSyncStatus(world.databasePath).pendingErrors).toEqual([]);
  });

  it('a failing photo that is deleted in iCloud leaves the retry queue', async () => {
    const world = await openWorld({ assets: 10, sizes: SMALL });
    const lib = world.session.library;
    expect((await world.run()).outcome).toBe('success');
    const poison = poisonPhoto(world, ['1997', '07', '08'], 'GONE.JPG');
    expect((await world.run()).outcome).toBe('partial');
    expect(readSyncStatus(world.databasePath).pendingErrors.map((e) => e.assetId)).toEqual([poison.masterId]);
    lib.deleteAsset(poison);
    const after = await world.run();
    expect(after).toMatchObject({ outcome: 'success', listing: 'incremental', failures: [] });
    expect(readSyncStatus(world.databasePath).pendingErrors).toEqual([]);
  });

  it('a folder with a photo\'s file name is an occupied name: the photo gets its suffix', async () => {
    const world = await openWorld({ assets: 10, sizes: SMALL });
    const lib = world.session.library;
    expect((await world.run()).outcome).toBe('success');
    const photo = lib.addAsset({ assetDate: Date.UTC(2001, 4, 5, 12), filename: 'TAKEN.JPG' });
    mkdirSync(join(world.folder, '2001', '05', '05', 'TAKEN.JPG'), { recursive: true });
    const run = await world.run();
    expect(run).toMatchObject({ outcome: 'success', failures: [] });
    const file = world.tracked().find((f) => f.assetId === photo.masterId && f.version === 'original');
    expect(file?.relPath).toMatch(/^2001\/05\/05\/TAKEN.+\.JPG$/);
    expect(file?.relPath).not.toBe('2001/05/05/TAKEN.JPG');
  });
});
