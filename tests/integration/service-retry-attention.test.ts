/**
 * "Retry" on the items that need attention: a file that keeps failing backs off (tried again 1, 2,
 * 4 ... runs later); Retry must make it due in the run it starts, not only start a run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { trackedFiles } from './cli-harness.js';
import { openServiceWorld, signedInAndSynced, type ServiceWorld } from './service-harness.js';

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SMALL = { photo: [2048, 4096] as [number, number], video: [4096, 8192] as [number, number], raw: [4096, 8192] as [number, number], liveVideo: [4096, 8192] as [number, number] };

describe('retry-attention', () => {
  it('a file backing off after two failures is downloaded in the run Retry starts', async () => {
    world = await openServiceWorld({ assets: 4, sizes: SMALL });
    const w = world;
    await signedInAndSynced(w);
    const photo = w.sim.library.addAsset();
    const landed = () => trackedFiles(w.trackerPath).some((f) => f.assetId === photo.masterId && f.state === 'downloaded');

    // Every download ends early: the new photo fails in two runs in a row, and then backs off.
    w.sim.setFaults({ truncateRate: 1 });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const finished = w.nextRunFinished();
      expect(await w.ok({ type: 'sync-now' })).toEqual({ started: true, reason: null });
      expect(await finished).toMatchObject({ outcome: 'partial', failed: 1, downloaded: 0 });
      const snapshot = await w.until((s) => s.state !== 'syncing' && s.attention.some((item) => item.assetId === photo.masterId && item.attempts === attempt));
      expect(snapshot.attention).toHaveLength(1);
    }
    expect(landed()).toBe(false);

    // Fixed in iCloud; a plain run now would skip the file (its next try is two runs away). Retry does not wait.
    w.sim.setFaults({ truncateRate: 0 });
    const finished = w.nextRunFinished();
    expect(await w.ok({ type: 'retry-attention' })).toEqual({ started: true, reason: null });
    expect(await finished).toMatchObject({ outcome: 'success', failed: 0, downloaded: 1 });
    expect(landed()).toBe(true);
    expect((await w.until((s) => s.state !== 'syncing')).attention).toEqual([]);
  }, 90_000);
});

describe('retry-attention and records iCloud refuses', () => {
  it('a refused record says Retry does not change it, and stays after a Retry run', async () => {
    // The shared library of seed 5 has a revoked photo: iCloud answers ACCESS_DENIED for it (issue 8).
    world = await openServiceWorld({ assets: 4, sharedAssets: 4, seed: 5, sizes: SMALL });
    const w = world;
    await signedInAndSynced(w);
    const refused = (await w.until((s) => s.attention.length > 0)).attention;
    expect(refused.length).toBeGreaterThan(0);
    for (const item of refused) expect(item.message).toMatch(/refuses to hand out this item \(ACCESS_DENIED\).*Retry does not change that\.$/);

    const finished = w.nextRunFinished();
    expect(await w.ok({ type: 'retry-attention' })).toEqual({ started: true, reason: null });
    expect((await finished).failed).toBe(0);
    expect((await w.until((s) => s.state !== 'syncing')).attention.map((item) => item.assetId).sort()).toEqual(refused.map((item) => item.assetId).sort());
  }, 90_000);
});
