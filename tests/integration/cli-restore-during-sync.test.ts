/**
 * `deleted restore` while a sync runs, with real processes: the running sync must not undo the
 * restore when it saves its change-feed position, and the restore says which sync brings the file.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimLibrary } from '../sim/library/index.js';
import { openSignedInCliWorld, trackedFiles, type SignedInCliWorld } from './cli-harness.js';

let world: SignedInCliWorld;
beforeAll(async () => {
  world = await openSignedInCliWorld({ assets: 10, seed: 31 });
});
afterAll(async () => world?.close());

const downloadedCount = () => trackedFiles(world.trackerPath).filter((f) => f.state === 'downloaded').length;
const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('close', resolve));

describe('deleted restore during a running sync (real CLI, two processes)', () => {
  it('is not undone by the running sync; the sync after it downloads the file', async () => {
    expect((await world.cli(['sync'])).exitCode).toBe(0);
    const victim = trackedFiles(world.trackerPath)[2]!;
    const onDisk = join(world.folder, ...victim.relPath.split('/'));
    rmSync(onDisk);
    expect((await world.cli(['sync'])).exitCode).toBe(0);

    // A long run: new photos, slow answers, one download at a time.
    for (let i = 0; i < 20; i++) (world.sim.library as SimLibrary).addAsset();
    world.sim.setFaults({ slowMs: 300 });
    const before = downloadedCount();
    const running = world.spawnCli(['sync'], { ICLOUD_PHOTO_SYNC_CONCURRENCY: '1' });
    const runningExit = exitOf(running);
    let stillRunning = true;
    void runningExit.then(() => (stillRunning = false));
    for (let waited = 0; downloadedCount() === before; waited += 50) {
      if (waited > 60_000) throw new Error('the running sync never downloaded a file');
      await delay(50);
    }

    const restore = await world.cli(['deleted', 'restore', victim.relPath]);
    expect(restore.exitCode, restore.stderr).toBe(0);
    expect(stillRunning, 'the restore landed while the sync ran').toBe(true);
    expect(restore.stderr).toContain('a sync is running now; the sync after it downloads it again');
    expect(await runningExit).toBe(0);
    world.sim.setFaults({ slowMs: 0 });

    const after = await world.cli(['sync', '--json']);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ outcome: 'success', downloaded: 1, listing: 'full' });
    expect(existsSync(onDisk)).toBe(true);
  });
});
