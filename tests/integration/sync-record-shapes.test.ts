import { describe, expect, it } from 'vitest';
import { readTrackerView } from '../../src-main/app/tracker-view.js';
import { readSyncStatus } from '../../src-main/sync/sync-queries.js';
import { expectedFileKeys, expectFilesMatchSimulator, syncWorlds } from './sync-helpers.js';

/**
 * Apple's awkward record shapes (issue 8; tests/sim/README.md "What Apple sends"), met through the
 * real client, the simulator over HTTP, real files and a real tracker.
 */
describe('sync: Apple record shapes', () => {
  const openWorld = syncWorlds();

  it('an incremental run reads purged records (recordType null, no fields) and records of unknown types', async () => {
    const world = await openWorld({ assets: 40 });
    const lib = world.session.library;
    expect(await world.run()).toMatchObject({ outcome: 'success', listing: 'full' });
    const visible = [...lib.assets()].filter((a) => !a.isHidden && !a.isDeleted && a.kind !== 'png');
    const purged = visible.find((a) => a.albumIds.length > 0) ?? visible[0]!;
    const edited = visible.find((a) => a.serial !== purged.serial)!;
    lib.purgeAsset(purged);
    lib.editAsset(edited);
    const added = lib.addAsset();

    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'success', listing: 'incremental', errorCode: null, failures: [] });
    const tracked = world.tracked();
    expect(tracked.some((f) => f.assetId === added.masterId && f.version === 'original')).toBe(true);
    expect(tracked.some((f) => f.version === 'edited' && f.fileChecksum === lib.getAsset(edited.id)!.resources.find((r) => r.on === 'asset')!.fileChecksum)).toBe(true);
    // The purged photo stays on disk; the next run is incremental again and has nothing to do.
    expect(tracked.some((f) => f.assetId === purged.masterId && f.state === 'downloaded')).toBe(true);
    expect(await world.run()).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 0 });
  });

  it('a Duplicate (two assets on one master, both edited) gives one original and both edits', async () => {
    const world = await openWorld({ assets: 40, sharedAssets: 2 });
    const lib = world.session.library;
    const copy = [...lib.assets()].find((a) => a.duplicateOf !== undefined)!;
    const source = lib.getAsset(copy.duplicateOf!)!;
    const editOf = (a: typeof copy) => a.resources.find((r) => r.on === 'asset')!;
    expect(await world.run({ includeShared: true })).toMatchObject({ outcome: 'success', failures: [] });
    const tracked = world.tracked();
    const originals = tracked.filter((f) => f.fileChecksum === copy.masterId);
    expect(originals).toHaveLength(1);
    const edits = tracked.filter((f) => f.version === 'edited' && [editOf(copy).fileChecksum, editOf(source).fileChecksum].includes(f.fileChecksum));
    expect(edits).toHaveLength(2);
    expect(new Set(edits.map((f) => f.relPath)).size).toBe(2);
    expectFilesMatchSimulator(world);

    // Listing order does not matter: a second run has nothing to do, a re-edit of one copy
    // replaces that copy's edit only.
    expect(await world.run({ includeShared: true })).toMatchObject({ downloaded: 0, listing: 'incremental' });
    const reEdited = lib.editAsset(copy);
    const third = await world.run({ includeShared: true });
    expect(third).toMatchObject({ outcome: 'success', downloaded: 1 });
    const after = world.tracked().filter((f) => f.version === 'edited');
    const copyEdit = after.find((f) => f.fileChecksum === editOf(reEdited).fileChecksum)!;
    expect(copyEdit.relPath).toBe(edits.find((f) => f.fileChecksum === editOf(copy).fileChecksum)!.relPath);
    expect(after.some((f) => f.fileChecksum === editOf(source).fileChecksum)).toBe(true);
    expectFilesMatchSimulator(world);

    // Moving the edited copy into the Shared Library: the same original and the same edit.
    lib.moveToSharedLibrary(copy);
    expect(await world.run({ includeShared: true })).toMatchObject({ outcome: 'success', downloaded: 0 });
    expect(await world.run({ includeShared: true, concurrency: 2 })).toMatchObject({ outcome: 'success', downloaded: 0 });
  });

  it('a page whose asset has no master, and records with a transient error, are fetched again in the same run', async () => {
    const world = await openWorld({ assets: 40 });
    const lib = world.session.library;
    // Generated libraries carry both problems (tests/sim/README.md "Record problems").
    const noMaster = lib.getAsset(7)!;
    const retried = lib.getAsset(11)!;
    expect(noMaster.listingFault).toEqual({ kind: 'omit-master' });
    expect(retried.listingFault).toMatchObject({ kind: 'error', inLookups: false });
    const first = await world.run();
    expect(first).toMatchObject({ outcome: 'success', failures: [] });
    const masters = new Set(world.tracked().map((f) => f.assetId.split(':')[0]));
    for (const asset of [noMaster, retried]) if (!asset.isHidden && !asset.isDeleted) expect(masters.has(asset.masterId)).toBe(true);
    expect(world.tracked().map((f) => `${f.assetId}/${f.version}`).sort()).toEqual(expectedFileKeys(lib.assets()));
  });

  it('a record that stays unavailable leaves the run incomplete: the position is kept and the next run gets it', async () => {
    const world = await openWorld({ assets: 30 });
    const lib = world.session.library;
    expect(await world.run()).toMatchObject({ outcome: 'success' });
    const late = lib.addAsset({ filename: 'LATE.JPG' });
    lib.setListingFault(late, { kind: 'error', code: 'RETRY_LATER', inLookups: true });
    const blocked = await world.run();
    expect(blocked.outcome).toBe('partial');
    expect(world.tracked().some((f) => f.assetId === late.masterId)).toBe(false);
    lib.setListingFault(late, undefined);
    const next = await world.run();
    expect(next).toMatchObject({ outcome: 'success', downloaded: 1 });
    expect(world.tracked().some((f) => f.assetId === late.masterId && f.version === 'original')).toBe(true);
  });

  it('a revoked shared photo (ACCESS_DENIED) is skipped and noted as needing attention, without holding the position back', async () => {
    const world = await openWorld({ assets: 20, sharedAssets: 4 });
    const lib = world.session.library;
    const denied = [...lib.assets(lib.sharedZoneName)].find((a) => a.accessDenied)!;
    expect(denied).toBeDefined();
    const first = await world.run({ includeShared: true });
    expect(first).toMatchObject({ outcome: 'success', failures: [] });
    expect(world.tracked().some((f) => f.assetId === denied.masterId)).toBe(false);
    const rows = readSyncStatus(world.databasePath).needsAttention;
    expect(rows.map(({ kind, zoneName, assetId, code }) => ({ kind, zoneName, assetId, code }))).toEqual(
      [denied.id, denied.masterId].sort().map((assetId) => ({ kind: 'refused-by-icloud', zoneName: lib.sharedZoneName, assetId, code: 'ACCESS_DENIED' })),
    );
    // The app lists them among the items that need attention, by record name and Apple's code only.
    const attention = readTrackerView(world.databasePath).attention.filter((item) => item.version === 'record');
    expect(attention.map((item) => item.assetId).sort()).toEqual([denied.id, denied.masterId].sort());
    for (const item of attention) expect(item.message).toContain('ACCESS_DENIED');
    lib.addAsset();
    expect(await world.run({ includeShared: true })).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 1 });
    // Access restored: the next full listing brings the photo and forgets the note.
    lib.denyAsset(denied, false);
    expect(await world.run({ includeShared: true, recent: 1000 })).toMatchObject({ outcome: 'success', listing: 'full' });
    expect(world.tracked().some((f) => f.assetId === denied.masterId)).toBe(true);
    expect(readSyncStatus(world.databasePath).needsAttention).toEqual([]);
    expect(readTrackerView(world.databasePath).attention.filter((item) => item.version === 'record')).toEqual([]);
  });
});
