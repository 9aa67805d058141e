import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src-main/sync/engine.js';
import { MARKER_FILE, setupSyncFolder } from '../../src-main/sync/folder-marker.js';
import { expectFilesMatchSimulator, syncWorlds, type SyncWorld } from './sync-helpers.js';

/** A tracker and a marker as versions before folder identities wrote them. */
function makePreIdentity(world: SyncWorld): void {
  const db = new Database(world.databasePath);
  db.prepare(`DELETE FROM settings WHERE key = 'folder-id'`).run();
  db.close();
  writeFileSync(join(world.folder, MARKER_FILE), JSON.stringify({ app: 'icloud-photo-sync', createdAt: '2025-01-02T03:04:05.000Z' }));
}

let elsewhere: string | undefined;
afterEach(() => elsewhere && rmSync(elsewhere, { recursive: true, force: true }));

describe('sync: folder identity with a tracker from before identities', () => {
  const openWorld = syncWorlds();

  it('the same folder carries on as before: nothing downloaded, nothing marked deleted', async () => {
    const world = await openWorld({ assets: 15 });
    await world.run();
    makePreIdentity(world);
    expect(await world.run()).toMatchObject({ outcome: 'success', folderChange: 'same', downloaded: 0, deletedNoticed: 0 });
  });

  it('a new folder holding none of the tracked files is a new folder: full download, no mass-deletion stop', async () => {
    const world = await openWorld({ assets: 15 });
    const first = await world.run();
    makePreIdentity(world);
    elsewhere = mkdtempSync(join(tmpdir(), 'sync-elsewhere-'));
    const folder = join(elsewhere, 'New photos');
    setupSyncFolder(folder);
    const summary = await runSync({ source: world.session.newRun(), folder, databasePath: world.databasePath });
    expect(summary).toMatchObject({ outcome: 'success', folderChange: 'new', downloaded: first.downloaded, deletedNoticed: 0 });
    expect(world.tracked().filter((f) => f.state === 'deleted-locally')).toEqual([]);
    expectFilesMatchSimulator({ ...world, folder });
  });

  it("each folder keeps its own deletions: a photo deleted in one folder is downloaded into a new one, and stays deleted in the first", async () => {
    const world = await openWorld({ assets: 15 });
    await world.run();
    const victim = world.tracked()[3]!;
    rmSync(join(world.folder, ...victim.relPath.split('/')));
    expect(await world.run()).toMatchObject({ deletedNoticed: 1 });

    elsewhere = mkdtempSync(join(tmpdir(), 'sync-elsewhere-'));
    const other = join(elsewhere, 'Other');
    setupSyncFolder(other);
    const inOther = await runSync({ source: world.session.newRun(), folder: other, databasePath: world.databasePath });
    expect(inOther).toMatchObject({ outcome: 'success', folderChange: 'new', deletedNoticed: 0 });
    expect(world.tracked().find((f) => f.assetId === victim.assetId && f.version === victim.version)?.state).toBe('downloaded');

    const back = await world.run();
    expect(back).toMatchObject({ outcome: 'success', folderChange: 'returned', downloaded: 0, deletedNoticed: 0 });
    expect(world.tracked().find((f) => f.assetId === victim.assetId && f.version === victim.version)?.state).toBe('deleted-locally');
    expectFilesMatchSimulator(world);
  });
});
