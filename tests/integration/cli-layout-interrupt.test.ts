/**
 * SIGTERM (what a service manager sends) in the middle of a layout change, with the real CLI: the
 * new layout is not recorded until every move is done, and the next sync finishes the moves.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInCliWorld, trackedFiles, type SignedInCliWorld } from './cli-harness.js';

let world: SignedInCliWorld;
beforeAll(async () => {
  world = await openSignedInCliWorld({ assets: 120, seed: 41, sizes: { photo: [2048, 4096], video: [4096, 8192], raw: [4096, 8192], liveVideo: [2048, 4096] } });
});
afterAll(async () => world?.close());

const flatCount = () => trackedFiles(world.trackerPath).filter((f) => !f.relPath.includes('/')).length;

describe('a layout change stopped by SIGTERM (real CLI)', () => {
  it('records the new layout only when every move is done; the next sync moves the rest', async ({ skip }) => {
    skip(process.platform === 'win32', 'sends SIGTERM to the CLI; Windows ends the process outright instead');
    expect((await world.cli(['sync'])).exitCode).toBe(0);
    const total = trackedFiles(world.trackerPath).length;

    const flat = { ICLOUD_PHOTO_SYNC_LAYOUT: 'flat' };
    const child = world.spawnCli(['sync'], flat);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let waited = 0; flatCount() === 0; waited += 10) {
      if (waited > 60_000) throw new Error('no file was moved');
      await delay(10);
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    const movedBeforeStop = flatCount();
    expect(movedBeforeStop).toBeLessThan(total);

    const status = await world.cli(['status', '--json']);
    expect(JSON.parse(status.stdout).layout).toBe('{yyyy}/{mm}/{dd}/{name}');

    const resumed = await world.cli(['sync', '--json'], { env: flat });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ outcome: 'success', downloaded: 0, moved: total - movedBeforeStop });
    expect(flatCount()).toBe(total);
    expect(JSON.parse((await world.cli(['status', '--json'])).stdout).layout).toBe('{name}');
  });
});
