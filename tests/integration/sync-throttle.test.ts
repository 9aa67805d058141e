import { describe, expect, it } from 'vitest';
import { syncWorlds } from './sync-helpers.js';

const TWO_HOURS_MS = 2 * 60 * 60_000;

/** Apple's Retry-After must survive to the summary: the daemon and the user need the time. */
describe('sync: a run stopped THROTTLED carries Apple\'s Retry-After', () => {
  const openWorld = syncWorlds();

  it('throttled while listing: errorCode THROTTLED and retryAfter two hours on', async () => {
    const world = await openWorld({ assets: 5 });
    world.session.sim.setFaults({ retryAfterRate: 1, retryAfterSeconds: 7200 });
    const before = Date.now();
    const summary = await world.run();
    const after = Date.now();
    expect(summary).toMatchObject({ outcome: 'failed', errorCode: 'THROTTLED', downloaded: 0 });
    const retryAfter = Date.parse(summary.retryAfter!);
    // Retry-After is whole seconds from the answer; allow the second it rounds to.
    expect(retryAfter).toBeGreaterThanOrEqual(before + TWO_HOURS_MS - 1000);
    expect(retryAfter).toBeLessThanOrEqual(after + TWO_HOURS_MS + 1000);
  });

  it('throttled while downloading: the run stops with the download\'s Retry-After; a normal run has none', async () => {
    const world = await openWorld({ assets: 8 });
    const before = Date.now();
    const summary = await world.run({
      onEvent: (e) => {
        if (e.type === 'phase' && e.phase === 'transferring') world.session.sim.setFaults({ retryAfterRate: 1, retryAfterSeconds: 7200 });
      },
    });
    expect(summary).toMatchObject({ outcome: 'failed', errorCode: 'THROTTLED', downloaded: 0 });
    expect(Date.parse(summary.retryAfter!)).toBeGreaterThanOrEqual(before + TWO_HOURS_MS - 1000);

    world.session.sim.setFaults({ retryAfterRate: 0 });
    expect(await world.run()).toMatchObject({ outcome: 'success', errorCode: null, retryAfter: null });
  });
});
