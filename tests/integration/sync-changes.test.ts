import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentRequests, expectedFileKeys, expectFilesMatchSimulator, syncWorlds, trackedEditOf, type SyncWorld } from './sync-helpers.js';

describe('sync: changes in iCloud between runs, through the real client', () => {
  const openWorld = syncWorlds();
  const bytesAt = (w: SyncWorld, relPath: string) => readFileSync(join(w.folder, ...relPath.split('/')));

  it('downloads new assets, brings edits beside the original, leaves iCloud deletions on disk', async () => {
    const world = await openWorld({ assets: 30 });
    const lib = world.session.library;
    await world.run();
    const plain = [...lib.assets()].find((a) => !a.adjustmentType && !a.isHidden)!;
    const doomed = [...lib.assets()].find((a) => a.serial !== plain.serial && !a.isHidden)!;
    const original = world.tracked().find((f) => f.assetId === plain.masterId && f.version === 'original')!;
    const originalBytes = bytesAt(world, original.relPath);
    const doomedFiles = world.tracked().filter((f) => f.assetId === doomed.masterId);

    const added = lib.addAsset();
    lib.editAsset(plain);
    lib.deleteAsset(doomed);
    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'success', listing: 'incremental', failures: [] });
    const tracked = world.tracked();
    expect(tracked.some((f) => f.assetId === added.masterId && f.version === 'original')).toBe(true);
    const edited = trackedEditOf(tracked, plain);
    expect(edited).toBeDefined();
    expect(edited!.relPath).not.toBe(original.relPath);
    expect(bytesAt(world, original.relPath).equals(originalBytes)).toBe(true);
    for (const f of doomedFiles) expect(bytesAt(world, f.relPath).length).toBe(f.size);
    expectFilesMatchSimulator(world);

    // A second edit replaces the edited file, never the original.
    lib.editAsset(plain);
    const third = await world.run();
    expect(third.downloaded).toBe(1);
    const reEdited = trackedEditOf(world.tracked(), plain)!;
    expect(world.tracked().filter((f) => f.version === 'edited' && f.relPath === edited!.relPath)).toHaveLength(1);
    expect(reEdited.relPath).toBe(edited!.relPath);
    expect(reEdited.fileChecksum).not.toBe(edited!.fileChecksum);
    expect(bytesAt(world, original.relPath).equals(originalBytes)).toBe(true);
    expectFilesMatchSimulator(world);
  });

  it('the same photo in the personal and the shared library is downloaded once', async () => {
    const world = await openWorld({ assets: 20, sharedAssets: 4 });
    const first = await world.run();
    expect(first.outcome).toBe('success');
    const keys = world.tracked().map((f) => `${f.assetId}/${f.version}`).sort();
    expect(keys).toEqual(expectedFileKeys(world.session.library.assets()));
    const mover = [...world.session.library.assets(world.session.library.primaryZoneName)].find((a) => !a.isHidden)!;
    world.session.library.moveToSharedLibrary(mover);
    const requests = contentRequests(world);
    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'success', downloaded: 0 });
    expect(contentRequests(world)).toBe(requests);
    const full = await world.run({ concurrency: 3 });
    expect(full.downloaded).toBe(0);
  });

  it('a template change moves the files already there and downloads nothing', async () => {
    const world = await openWorld({ assets: 30 });
    await world.run();
    const before = world.tracked();
    const requests = contentRequests(world);
    const moved = await world.run({ template: '{name}' });
    expect(moved).toMatchObject({ outcome: 'success', downloaded: 0, failures: [] });
    expect(moved.moved).toBe(before.length);
    expect(contentRequests(world)).toBe(requests);
    const after = world.tracked();
    expect(after.every((f) => !f.relPath.includes('/'))).toBe(true);
    expect(after.map((f) => f.sha256).sort()).toEqual(before.map((f) => f.sha256).sort());
    expectFilesMatchSimulator(world);
    expect((await world.run({ template: '{name}' })).moved).toBe(0);
  });
});
