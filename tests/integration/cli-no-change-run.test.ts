import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tracker } from '../../src-main/tracker/tracker.js';
import type { SimLibrary } from '../sim/library/index.js';
import type { RequestLogEntry } from '../sim/request-log.js';
import { openSignedInCliWorld, trackedFiles, type SignedInCliWorld } from './cli-harness.js';

/**
 * Issue 11 target 4 through the real CLI and the simulator over HTTP: a run that finds nothing
 * changed asks Apple at most twice (`changes/database` per database with the saved database
 * token, no `validate`), a dead web session still renews itself during such a run, and a change
 * feed with runs of empty `moreComing` pages and tombstones is read to its end by the incremental run.
 */
let world: SignedInCliWorld;
const library = () => world.sim.library as SimLibrary;

/** Requests to Apple (sign-in, setup, CloudKit; not file downloads) made by `run`. */
async function appleRequestsOf(run: () => Promise<unknown>): Promise<RequestLogEntry[]> {
  const before = world.sim.requestLog().length;
  await run();
  return world.sim.requestLog().slice(before).filter((entry) => entry.role !== 'content');
}

async function sync(): Promise<Record<string, unknown>> {
  const result = await world.cli(['sync', '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const endpoint = (entry: RequestLogEntry) => entry.path.replace(/^.*\/production\//, '');

beforeAll(async () => {
  world = await openSignedInCliWorld({ assets: 40, seed: 23 });
  expect(await sync()).toMatchObject({ outcome: 'success', listing: 'full' });
});
afterAll(async () => world?.close());

describe('a run that finds nothing changed (issue 11 target 4)', () => {
  it('asks Apple only changes/database, once per database, with the saved session and no validate', async () => {
    let summary: Record<string, unknown> = {};
    const requests = await appleRequestsOf(async () => (summary = await sync()));
    expect(summary).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 0 });
    expect(requests.length).toBeLessThanOrEqual(2);
    // The default settings include the Shared Library: its zones can live in the shared database.
    expect(requests.map(endpoint).sort()).toEqual(['private/changes/database', 'shared/changes/database']);
    expect(requests.every((entry) => entry.status === 200)).toBe(true);
  });

  it('renews an expired web session during a no-change run and succeeds', async () => {
    world.sim.expireWebSessions();
    let summary: Record<string, unknown> = {};
    const requests = await appleRequestsOf(async () => (summary = await sync()));
    expect(summary).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 0, errorCode: null });
    const first = requests[0]!;
    // The dead session shows up as the first CloudKit call's refusal, which starts the sign-in.
    expect(endpoint(first)).toBe('private/changes/database');
    expect([401, 421]).toContain(first.status);
    expect(requests.some((entry) => entry.role === 'auth' && entry.path.includes('signin/complete') && entry.status === 200)).toBe(true);
    expect(requests.some((entry) => entry.role === 'setup' && entry.path.includes('accountLogin') && entry.status === 200)).toBe(true);
    const last = requests[requests.length - 1]!;
    expect([endpoint(last), last.status]).toEqual(['shared/changes/database', 200]);
    // The renewed session is the saved one now: the next run is back to two requests.
    const again = await appleRequestsOf(sync);
    expect(again.map(endpoint).sort()).toEqual(['private/changes/database', 'shared/changes/database']);
  });

  it('reads a change feed with runs of empty moreComing pages and tombstones to its end', async () => {
    const lib = library();
    const before = trackedFiles(world.trackerPath);
    const purged = lib.list(lib.primaryZoneName, 'all', 3, 1)[0]!;
    const purgedFiles = before.filter((file) => file.assetId === purged.masterId);
    expect(purgedFiles.length).toBeGreaterThan(0);
    const added = lib.addAsset({ filename: 'after-the-burst.JPG' });
    lib.importAndPurge(150);
    lib.purgeAsset(purged);
    const trashed = lib.deleteAsset(lib.list(lib.primaryZoneName, 'all', 5, 1)[0]!);

    // The scenario holds what it should: from the stored position, pages with nothing but moreComing.
    const tracker = Tracker.openSnapshot(world.trackerPath);
    const stored = tracker.syncTokens().find((token) => token.zoneName === lib.primaryZoneName)!.token;
    tracker.close();
    let emptyPages = 0;
    let tombstones = 0;
    for (let token: string = stored, more = true; more; ) {
      const page = lib.changes(lib.primaryZoneName, token, 200);
      if (!page.ok) throw new Error(page.reason);
      if (page.changes.length === 0 && page.moreComing) emptyPages += 1;
      tombstones += page.changes.filter((change) => change.type === 'purged').length;
      token = page.syncToken;
      more = page.moreComing;
    }
    expect(emptyPages).toBeGreaterThanOrEqual(3);
    expect(tombstones).toBeGreaterThan(150);

    let summary: Record<string, unknown> = {};
    const requests = await appleRequestsOf(async () => (summary = await sync()));
    expect(summary).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 1, failed: 0 });
    expect(requests.filter((entry) => endpoint(entry) === 'private/changes/zone').length).toBeGreaterThanOrEqual(emptyPages + 1);
    const after = trackedFiles(world.trackerPath);
    expect(after.some((file) => file.assetId === added.masterId && file.state === 'downloaded')).toBe(true);
    // iCloud deletions are left on disk (README): the purged photo and the trashed one keep their files.
    for (const file of purgedFiles) expect(existsSync(join(world.folder, ...file.relPath.split('/'))), file.relPath).toBe(true);
    expect(after.filter((file) => file.assetId === trashed.masterId).length).toBe(before.filter((file) => file.assetId === trashed.masterId).length);

    // Caught up: the next run is a no-change run again.
    const idle = await appleRequestsOf(sync);
    expect(idle.map(endpoint).sort()).toEqual(['private/changes/database', 'shared/changes/database']);
  });
});
