import { describe, expect, it } from 'vitest';
import { syncWorlds } from './sync-helpers.js';

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
});
