import { describe, expect, it } from 'vitest';
import { readSyncStatus } from '../../src-main/sync/sync-queries.js';
import { expectFilesMatchSimulator, syncWorlds } from './sync-helpers.js';

describe('sync: a layout change stopped half-way (Ctrl-C, SIGTERM) is finished by the next run', () => {
  const openWorld = syncWorlds();

  it('records the new layout only when every move is done; the next run moves the rest', async () => {
    const world = await openWorld({ assets: 20 });
    await world.run();
    const total = world.tracked().length;

    // What the CLI does on Ctrl-C or SIGTERM: abort the run's signal. Here, after the first move.
    const controller = new AbortController();
    const stopped = await world.run({
      template: '{name}',
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'file' && e.outcome === 'moved') controller.abort();
      },
    });
    expect(stopped.outcome).toBe('interrupted');
    expect(stopped.moved).toBeGreaterThan(0);
    expect(stopped.moved).toBeLessThan(total);
    expect(readSyncStatus(world.databasePath).layoutTemplate).not.toBe('{name}');

    const resumed = await world.run({ template: '{name}' });
    expect(resumed).toMatchObject({ outcome: 'success', downloaded: 0, failures: [] });
    expect(resumed.moved).toBe(total - stopped.moved);
    expect(world.tracked().every((f) => !f.relPath.includes('/'))).toBe(true);
    expect(readSyncStatus(world.databasePath).layoutTemplate).toBe('{name}');
    expectFilesMatchSimulator(world);
  });
});
