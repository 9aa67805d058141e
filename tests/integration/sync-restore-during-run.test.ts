import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreDeletedFile } from '../../src-main/sync/sync-queries.js';
import { expectFilesMatchSimulator, syncWorlds } from './sync-helpers.js';

describe('sync: `deleted restore` while a sync is running', () => {
  const openWorld = syncWorlds();

  it('is not undone when the running sync saves its position: the next sync downloads the file', async () => {
    const world = await openWorld({ assets: 20, faults: { slowMs: 5 } });
    await world.run();
    const victim = world.tracked()[4]!;
    const onDisk = join(world.folder, ...victim.relPath.split('/'));
    rmSync(onDisk);
    expect(await world.run()).toMatchObject({ outcome: 'success', deletedNoticed: 1 });

    // A run with work to do; the restore (what `deleted restore` calls) lands in the middle of it.
    for (let i = 0; i < 4; i++) world.session.library.addAsset();
    let restored = 0;
    const during = await world.run({
      concurrency: 1,
      onEvent: (e) => {
        if (e.type === 'file' && e.outcome === 'downloaded' && restored === 0) restored = restoreDeletedFile(world.databasePath, victim.relPath).length;
      },
    });
    expect(restored).toBe(1);
    expect(during).toMatchObject({ outcome: 'success', failures: [] });

    const next = await world.run();
    expect(next).toMatchObject({ outcome: 'success', downloaded: 1, listing: 'full' });
    expect(existsSync(onDisk)).toBe(true);
    expectFilesMatchSimulator(world);
  });
});
