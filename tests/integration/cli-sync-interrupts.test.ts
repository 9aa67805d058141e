/**
 * The real CLI under stress: a second sync while one runs (exit 7), a file that fails on every
 * attempt (exit 5, then healed), and a sync killed with SIGKILL mid-download (the next run
 * finishes with byte-exact files and a tracker that agrees with the disk).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER_FILE, TEMP_DIR } from '../../src-main/sync/folder-marker.js';
import { acquireRunLock } from '../../src-main/sync/run-lock.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';
import type { SimLibrary } from '../sim/library/index.js';
import { openSignedInCliWorld, trackedFiles, type SignedInCliWorld } from './cli-harness.js';
import { listFolder } from './sync-helpers.js';

let world: SignedInCliWorld;
let trackerPath: string;

const tracked = (): TrackedFile[] => trackedFiles(trackerPath);

/** Files the user sees in the folder (the marker and the temp folder left out). */
const userFiles = () => Object.keys(listFolder(world.folder)).filter((p) => p !== MARKER_FILE && !p.startsWith(`${TEMP_DIR}/`)).sort();

function expectFolderMatchesTracker(): void {
  const library = world.sim.library as SimLibrary;
  const files = tracked().filter((f) => f.state === 'downloaded');
  expect(userFiles()).toEqual(files.map((f) => f.relPath).sort());
  for (const file of files) {
    const bytes = readFileSync(join(world.folder, ...file.relPath.split('/')));
    expect(bytes.equals(library.contentOf(file.fileChecksum)?.read() ?? Buffer.alloc(0)), file.relPath).toBe(true);
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 60_000) throw new Error(`gave up waiting for ${what}`);
    await delay(50);
  }
}

beforeAll(async () => {
  world = await openSignedInCliWorld({ assets: 24, seed: 23 });
  trackerPath = world.trackerPath;
});
afterAll(async () => world?.close());

describe('icloud-photo-sync sync: locks, failures and kills (real CLI against the simulator)', () => {
  it('a second sync while one is running exits 7 and says so; the first is not disturbed', async ({ skip }) => {
    skip(process.platform === 'win32', 'sends SIGINT to the CLI; Windows ends the process outright instead');
    // One download at a time, each answer slowed: the first run holds the lock for many seconds.
    world.sim.setFaults({ slowMs: 150 });
    const first = world.spawnCli(['sync'], { ICLOUD_PHOTO_SYNC_CONCURRENCY: '1' });
    const firstExit = exitOf(first);
    let firstOut = '';
    first.stdout?.on('data', (chunk: Buffer) => (firstOut += chunk.toString('utf8')));
    // A file on disk means the first run is past its lock and busy downloading.
    await waitFor(() => userFiles().length > 0, 'the first run to download a file');
    const second = await world.cli(['sync']);
    expect(second.exitCode, second.stderr).toBe(7);
    expect(second.stderr).toContain('ALREADY_RUNNING');
    // Ctrl-C: the first run stops after the file in flight and says it was interrupted.
    first.kill('SIGINT');
    expect(await firstExit).toBe(130);
    // Its lock went with it.
    acquireRunLock(`${trackerPath}.lock`)();
    // Shown and recorded as interrupted, not as a partial run without a reason.
    expect(firstOut).toMatch(/Outcome:\s+interrupted\n/);
    expect(firstOut).toMatch(/Stopped because:\s+INTERRUPTED\n/);
    const status = JSON.parse((await world.cli(['status', '--json'])).stdout) as { runs: Array<{ outcome: string; errorCode: string }> };
    expect(status.runs[0]).toMatchObject({ outcome: 'interrupted', errorCode: 'INTERRUPTED' });
    world.sim.setFaults({ slowMs: 0 });
    expectFolderMatchesTracker();
  });

  it('a sync killed with SIGKILL mid-download: the next run finishes with exact files and a consistent tracker', async () => {
    world.sim.setFaults({ slowMs: 100 });
    const victim = world.spawnCli(['sync'], { ICLOUD_PHOTO_SYNC_CONCURRENCY: '2' });
    const victimExit = exitOf(victim);
    const before = userFiles().length;
    await waitFor(() => userFiles().length >= before + 3, 'a few files to land');
    victim.kill('SIGKILL');
    expect(await victimExit).toBe(null);
    world.sim.setFaults({ slowMs: 0 });
    // The killed run's lock died with its process.
    const next = await world.cli(['sync', '--json']);
    expect(next.exitCode, next.stderr).toBe(0);
    expectFolderMatchesTracker();
    const again = await world.cli(['sync', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'success', downloaded: 0, adopted: 0 });
  });

  it('a file that fails on every attempt makes the run partial (exit 5) and is retried (with backoff) until it works', async () => {
    // A day of its own, so that day's folder holds nothing else.
    const asset = (world.sim.library as SimLibrary).addAsset({ filename: 'BLOCKED.JPG', assetDate: Date.UTC(1998, 1, 3, 12) });
    const plan = JSON.parse((await world.cli(['sync', '--dry-run', '--verbose', '--json'])).stdout) as { plan: { action: string; path: string; assetId: string }[] };
    const target = plan.plan.find((a) => a.action === 'download' && a.path.endsWith('BLOCKED.JPG'));
    expect(target, JSON.stringify(plan.plan)).toBeDefined();
    // A plain file squatting on the day folder's name: the download cannot be put in place, run
    // after run. (A folder on the file's own name is only an occupied name: the photo gets a suffix.)
    const squatter = join(world.folder, ...target!.path.split('/').slice(0, -1));
    mkdirSync(dirname(squatter), { recursive: true });
    writeFileSync(squatter, 'in the way');
    for (let run = 0; run < 2; run++) {
      const result = await world.cli(['sync']);
      expect(result.exitCode, result.stderr).toBe(5);
      expect(result.stderr).toContain(`failed: ${target!.path}`);
    }
    const status = JSON.parse((await world.cli(['status', '--json'])).stdout) as Record<string, unknown>;
    expect(JSON.stringify(status)).toContain('partial');
    // Dates in --json are ISO 8601, like everywhere else.
    expect(status.pendingErrors).toEqual([
      expect.objectContaining({ assetId: asset.masterId, attempts: 2, firstAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), lastAt: expect.stringMatching(/Z$/) }),
    ]);
    rmSync(squatter, { recursive: true });
    // Tried on runs 1, 2, then 4: the third run leaves it alone, the fourth gets it.
    const waiting = await world.cli(['sync', '--json']);
    expect(waiting.exitCode, waiting.stderr).toBe(0);
    expect(JSON.parse(waiting.stdout)).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 0 });
    const healed = await world.cli(['sync', '--json']);
    expect(healed.exitCode, healed.stderr).toBe(0);
    expect(JSON.parse(healed.stdout)).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 1, failed: 0 });
    expect(tracked().some((f) => f.assetId === asset.masterId && f.relPath === target!.path)).toBe(true);
    expectFolderMatchesTracker();
  });
});
