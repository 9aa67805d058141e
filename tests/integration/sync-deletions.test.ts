import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKER_FILE } from '../../src-main/sync/folder-marker.js';
import { listDeletedFiles, readSyncStatus, restoreDeletedFile } from '../../src-main/sync/sync-queries.js';
import { contentRequests, dumpTables, expectFilesMatchSimulator, listFolder, syncWorlds, type SyncWorld } from './sync-helpers.js';

describe('sync: local deletions, safety stops and dry runs through the real client', () => {
  const openWorld = syncWorlds();
  const onDisk = (w: SyncWorld, relPath: string) => join(w.folder, ...relPath.split('/'));

  it('a deleted file stays deleted across runs; restore brings it back; a moved file is not a deletion', async () => {
    const world = await openWorld({ assets: 30 });
    await world.run();
    const files = world.tracked();
    const [victim, moved] = [files[3]!, files[7]!];
    rmSync(onDisk(world, victim.relPath));
    renameSync(onDisk(world, moved.relPath), join(world.folder, 'renamed by me.bin'));

    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'success', deletedNoticed: 1, movedByUser: 1, downloaded: 0 });
    expect(listDeletedFiles(world.databasePath)).toEqual([expect.objectContaining({ relPath: victim.relPath, state: 'deleted-locally' })]);
    expect(world.tracked().find((f) => f.assetId === moved.assetId && f.version === moved.version)?.relPath).toBe('renamed by me.bin');

    const requests = contentRequests(world);
    const third = await world.run();
    expect(third).toMatchObject({ downloaded: 0, deletedNoticed: 0, listing: 'incremental' });
    expect(existsSync(onDisk(world, victim.relPath))).toBe(false);
    expect(contentRequests(world)).toBe(requests);

    expect(restoreDeletedFile(world.databasePath, victim.relPath)).toHaveLength(1);
    const fourth = await world.run();
    expect(fourth).toMatchObject({ outcome: 'success', downloaded: 1, listing: 'full' });
    expect(existsSync(onDisk(world, victim.relPath))).toBe(true);
    expectFilesMatchSimulator(world);
  });

  it('stops on a mass deletion (distinct outcome, nothing marked) and on a missing marker, until fixed', async () => {
    const world = await openWorld({ assets: 30 });
    await world.run();
    const files = world.tracked();
    for (const f of files.slice(0, Math.ceil(files.length / 2))) rmSync(onDisk(world, f.relPath));
    const stopped = await world.run();
    expect(stopped).toMatchObject({ outcome: 'mass-deletion', errorCode: 'MASS_DELETION', downloaded: 0 });
    expect(listDeletedFiles(world.databasePath)).toEqual([]);
    expect(readSyncStatus(world.databasePath).lastRuns[0]).toMatchObject({ outcome: 'mass-deletion', errorCode: 'MASS_DELETION' });

    rmSync(join(world.folder, MARKER_FILE));
    expect(await world.run({ confirmDeletions: 15 })).toMatchObject({ outcome: 'folder-missing', errorCode: 'FOLDER_MISSING' });
    expect(existsSync(join(world.folder, MARKER_FILE))).toBe(false);
  });

  it('a dry run writes nothing: same folder listing, same database bytes, no rows', async () => {
    const world = await openWorld({ assets: 25 });
    const fresh = await world.run({ dryRun: true });
    expect(fresh.plan?.counts.download).toBeGreaterThan(25);
    expect(readdirSync(world.folder)).toEqual([MARKER_FILE]);
    expect(existsSync(dirname(world.databasePath))).toBe(false);

    await world.run();
    world.session.library.addAsset();
    const victim = world.tracked()[2]!;
    rmSync(onDisk(world, victim.relPath));
    const folderBefore = listFolder(world.folder);
    const dataBefore = readdirSync(dirname(world.databasePath)).sort();
    const bytesBefore = readFileSync(world.databasePath);
    const rowsBefore = dumpTables(world.databasePath);
    const runsBefore = readSyncStatus(world.databasePath).lastRuns.length;

    const dry = await world.run({ dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, runId: null, deletedNoticed: 1 });
    expect(dry.plan?.counts).toMatchObject({ download: 1 });
    expect(dry.plan?.actions.filter((a) => a.kind === 'download')).toHaveLength(1);
    expect(listFolder(world.folder)).toEqual(folderBefore);
    expect(readdirSync(dirname(world.databasePath)).sort()).toEqual(dataBefore);
    expect(readFileSync(world.databasePath).equals(bytesBefore)).toBe(true);
    expect(dumpTables(world.databasePath)).toBe(rowsBefore);
    expect(readSyncStatus(world.databasePath).lastRuns).toHaveLength(runsBefore);
  });
});
