import { readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimAsset } from '../sim/library/index.js';
import { expectFilesMatchSimulator, syncWorlds, trackedEditOf, type SyncWorld } from './sync-helpers.js';

describe('sync: never overwrites or moves a file the user changed', () => {
  const openWorld = syncWorlds();
  const onDisk = (w: SyncWorld, relPath: string) => join(w.folder, ...relPath.split('/'));
  const trackedOf = (w: SyncWorld, assetId: string, version: string) => w.tracked().find((f) => f.assetId === assetId && f.version === version)!;
  // An edit's identity is `<master>:<edit checksum>` (issue 8): a re-edit is tracked under a new one.
  const editOf = (w: SyncWorld, asset: SimAsset) => trackedEditOf(w.tracked(), asset)!;
  const editRows = (w: SyncWorld, asset: SimAsset) => w.tracked().filter((f) => f.version === 'edited' && f.assetId.startsWith(`${asset.masterId}:`));

  it('a re-edit in iCloud does not replace an edited file the user retouched (same size): the new version goes beside it', async () => {
    const world = await openWorld({ assets: 20 });
    const lib = world.session.library;
    const asset = [...lib.assets()].find((a) => !a.isHidden && !a.adjustmentType && a.kind !== 'png')!;
    lib.editAsset(asset);
    await world.run();
    const edited = editOf(world, asset);
    const path = onDisk(world, edited.relPath);

    // Retouched in an editor that keeps the size: the date differs, and the content tells.
    const retouched = readFileSync(path);
    retouched.writeUInt8(retouched.readUInt8(retouched.length - 3) ^ 0xff, retouched.length - 3);
    writeFileSync(path, retouched);

    lib.editAsset(asset);
    const summary = await world.run();
    expect(summary).toMatchObject({ outcome: 'success', downloaded: 1, failures: [] });
    expect(readFileSync(path).equals(retouched)).toBe(true);
    const fresh = editOf(world, asset);
    // The retouched file is the user's now: only the new version is tracked.
    expect(editRows(world, asset)).toHaveLength(1);
    expect(fresh.fileChecksum).not.toBe(edited.fileChecksum);
    expect(fresh.relPath).not.toBe(edited.relPath);
    expect(fresh.relPath.replace(/_[0-9a-f]{7}(\.[^.]+)$/, '$1')).toBe(edited.relPath);
    expect(summary.keptChanged).toEqual([{ relPath: edited.relPath, newVersionAt: fresh.relPath }]);
    expectFilesMatchSimulator(world);

    // A file only touched (new date, same bytes) is still ours: replaced in place.
    const freshPath = onDisk(world, fresh.relPath);
    utimesSync(freshPath, new Date(), new Date());
    expect(Math.round(statSync(freshPath).mtimeMs)).not.toBe(fresh.mtimeMs);
    lib.editAsset(asset);
    const again = await world.run();
    expect(again).toMatchObject({ downloaded: 1, keptChanged: [] });
    expect(editRows(world, asset).map((f) => f.relPath)).toEqual([fresh.relPath]);
    expect(readFileSync(path).equals(retouched)).toBe(true);
    expectFilesMatchSimulator(world);
  });

  it('a layout change leaves alone a file the user changed and a file the user moved; it moves the rest', async () => {
    const world = await openWorld({ assets: 20 });
    await world.run();
    const [changed, moved] = world.tracked();
    const changedPath = onDisk(world, changed!.relPath);
    writeFileSync(changedPath, Buffer.concat([readFileSync(changedPath), Buffer.from('my notes')]));
    renameSync(onDisk(world, moved!.relPath), join(world.folder, 'favourite.jpg'));
    expect(await world.run()).toMatchObject({ outcome: 'success', movedByUser: 1 });

    const total = world.tracked().length;
    const summary = await world.run({ template: '{name}' });
    expect(summary).toMatchObject({ outcome: 'success', downloaded: 0, failures: [], moved: total - 2 });
    expect(summary.keptChanged).toEqual([{ relPath: changed!.relPath, newVersionAt: null }]);
    expect(trackedOf(world, changed!.assetId, changed!.version).relPath).toBe(changed!.relPath);
    expect(trackedOf(world, moved!.assetId, moved!.version).relPath).toBe('favourite.jpg');
    expect(readFileSync(changedPath).subarray(-8).toString()).toBe('my notes');
    expect(world.tracked().filter((f) => f.relPath.includes('/')).map((f) => f.relPath)).toEqual([changed!.relPath]);
  });
});
