import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { partPath, RESUME_OVERLAP } from '../../src-main/sync/download-file.js';
import { runSync, type RunSyncOptions } from '../../src-main/sync/engine.js';
import { MARKER_FILE, setupSyncFolder } from '../../src-main/sync/folder-marker.js';
import { acquireRunLock } from '../../src-main/sync/run-lock.js';
import { SyncError } from '../../src-main/sync/sync-error.js';
import { listDeletedFiles, readSyncStatus, restoreDeletedFile } from '../../src-main/sync/sync-queries.js';
import { makeAsset } from './sync-fixtures.js';
import { bytesOf, MemorySource } from './sync-memory-source.js';

let base: string;
let folder: string;
let databasePath: string;
let source: MemorySource;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'sync-engine-'));
  folder = join(base, 'Photos');
  databasePath = join(base, 'data', 'sync.db');
  setupSyncFolder(folder);
  source = new MemorySource(
    Array.from({ length: 10 }, (_, i) => makeAsset(String(i), { addedDate: i }, i === 0 ? ['original', 'live-video'] : ['original'])),
  );
});
const run = (options: RunSyncOptions = {}) => runSync({ source, folder, databasePath }, { dateZone: 'asset', ...options });
const file = (relPath: string) => join(folder, ...relPath.split('/'));

describe('runSync with an in-memory source', () => {
  it('downloads everything once, exactly', async () => {
    const summary = await run();
    expect(summary).toMatchObject({ outcome: 'success', downloaded: 11, failures: [] });
    const asset = source.assets[0]!;
    expect(readFileSync(file('2024/03/15/IMG_0.MOV')).equals(bytesOf(asset.resources[1]!))).toBe(true);
    expect((await run()).downloaded).toBe(0);
    expect(readSyncStatus(databasePath).lastRuns.map((r) => r.outcome)).toEqual(['success', 'success']);
  });

  it('stages the listing beside the database while it runs, removes a crashed run\'s stage first, and leaves none behind', async () => {
    const stagePath = `${databasePath}.staging`;
    mkdirSync(dirname(databasePath), { recursive: true });
    writeFileSync(stagePath, 'left over by a crashed run');
    let stagedDuringRun = false;
    const summary = await run({ onEvent: (e) => e.type === 'phase' && e.phase === 'transferring' && (stagedDuringRun = existsSync(stagePath)) });
    expect(summary).toMatchObject({ outcome: 'success', downloaded: 11 });
    expect(stagedDuringRun).toBe(true);
    expect(readdirSync(dirname(databasePath)).filter((n) => n.includes('.staging'))).toEqual([]);
  });

  it('removes a crashed run\'s stage even when the next run stops before listing (folder missing)', async () => {
    const stagePath = `${databasePath}.staging`;
    mkdirSync(dirname(databasePath), { recursive: true });
    writeFileSync(stagePath, 'left over by a crashed run');
    rmSync(join(folder, MARKER_FILE));
    expect(await run()).toMatchObject({ outcome: 'folder-missing', errorCode: 'FOLDER_MISSING' });
    expect(existsSync(stagePath)).toBe(false);
  });

  it('pulls more downloads than one stage page, each exactly once, oldest addition keeping the plain name', async () => {
    source = new MemorySource(Array.from({ length: 1203 }, (_, i) => makeAsset(`m${1202 - i}`, { addedDate: 1202 - i, filename: i % 2 ? 'SAME.JPG' : `IMG_${i}.JPG` })));
    const summary = await run({ concurrency: 4 });
    expect(summary).toMatchObject({ outcome: 'success', downloaded: 1203, failures: [] });
    expect(readdirSync(join(folder, '2024/03/15'))).toHaveLength(1203);
    expect(readSyncStatus(databasePath).counts.downloaded).toBe(1203);
    const db = new Database(databasePath, { readonly: true });
    const owner = db.prepare("SELECT asset_id FROM files WHERE rel_path = '2024/03/15/SAME.JPG'").pluck().get();
    db.close();
    expect(owner).toBe('m1');
  });

  it('records a failed file, keeps its temp file, and resumes it with an offset next run', async () => {
    const resource = source.assets[3]!.resources[0]!;
    source.failAfter.set(resource.fileChecksum, 300);
    const first = await run({ concurrency: 1 });
    expect(first.outcome).toBe('partial');
    expect(first.failures).toEqual([expect.objectContaining({ assetId: '3', relPath: '2024/03/15/IMG_3.JPG' })]);
    expect(existsSync(file('2024/03/15/IMG_3.JPG'))).toBe(false);
    expect(readFileSync(partPath(folder, source.assets[3]!, resource)).length).toBe(300);
    expect(readSyncStatus(databasePath).pendingErrors).toHaveLength(1);

    source.downloads = [];
    const second = await run();
    expect(second).toMatchObject({ outcome: 'success', downloaded: 1, listing: 'full' });
    // The resume re-fetches up to RESUME_OVERLAP bytes before its point to check them: here all 300.
    expect(source.downloads).toEqual([{ version: 'original', offset: Math.max(0, 300 - RESUME_OVERLAP) }]);
    expect(readFileSync(file('2024/03/15/IMG_3.JPG')).equals(bytesOf(resource))).toBe(true);
    expect(readSyncStatus(databasePath).pendingErrors).toHaveLength(0);
    expect(existsSync(join(folder, '.icloud-photo-sync-tmp'))).toBe(false);
  });

  it('stops the whole run on a full disk, keeping the temp file for the next run', async () => {
    // The fault arrives through the stream here; a real ENOSPC comes from the write, same handling.
    const resource = source.assets[2]!.resources[0]!;
    source.failAfter.set(resource.fileChecksum, 200);
    source.failCode = 'ENOSPC';
    const full = await run({ concurrency: 1 });
    expect(full).toMatchObject({ outcome: 'disk-full', errorCode: 'DISK_FULL', failures: [] });
    expect(full.downloaded).toBeLessThan(11);
    expect(readFileSync(partPath(folder, source.assets[2]!, resource)).length).toBe(200);
    expect(readSyncStatus(databasePath).lastRuns[0]).toMatchObject({ outcome: 'disk-full', errorCode: 'DISK_FULL' });
    const next = await run();
    expect(next.outcome).toBe('success');
    expect(readFileSync(file('2024/03/15/IMG_2.JPG')).equals(bytesOf(resource))).toBe(true);
  });

  it('stops after several network failures in a row instead of failing every file', async () => {
    for (const asset of source.assets) for (const r of asset.resources) source.failAfter.set(r.fileChecksum, 10);
    source.failCode = 'NETWORK';
    const summary = await run({ concurrency: 1 });
    expect(summary).toMatchObject({ outcome: 'failed', errorCode: 'NETWORK', downloaded: 0 });
    expect(summary.failures).toHaveLength(5);
  });

  it('an aborted run leaves no partial file under a final name and a tracker that agrees with the disk', async () => {
    const controller = new AbortController();
    const summary = await run({
      concurrency: 2,
      signal: controller.signal,
      onEvent: (e) => e.type === 'file' && e.outcome === 'downloaded' && controller.abort(),
    });
    expect(summary).toMatchObject({ outcome: 'interrupted', errorCode: 'INTERRUPTED' });
    expect(readSyncStatus(databasePath).lastRuns[0]).toMatchObject({ outcome: 'interrupted', errorCode: 'INTERRUPTED' });
    const tracked = readSyncStatus(databasePath).counts.downloaded;
    expect(tracked).toBeGreaterThan(0);
    expect(tracked).toBeLessThan(11);
    const finals = readdirSync(join(folder, '2024/03/15'));
    expect(finals).toHaveLength(tracked);
    expect((await run()).outcome).toBe('success');
    expect(readdirSync(join(folder, '2024/03/15'))).toHaveLength(11);
  });

  it('remembers local deletions, lists them, and restores one on request', async () => {
    await run();
    rmSync(file('2024/03/15/IMG_1.JPG'));
    const second = await run();
    expect(second).toMatchObject({ deletedNoticed: 1, downloaded: 0 });
    expect((await run()).downloaded).toBe(0);
    expect(listDeletedFiles(databasePath).map((f) => f.relPath)).toEqual(['2024/03/15/IMG_1.JPG']);
    expect(restoreDeletedFile(databasePath, '2024/03/15/IMG_1.JPG')).toHaveLength(1);
    expect((await run()).downloaded).toBe(1);
    expect(existsSync(file('2024/03/15/IMG_1.JPG'))).toBe(true);
  });

  it('stops on a mass deletion without marking anything, until confirmed', async () => {
    await run();
    for (const n of [1, 2, 3, 4, 5]) rmSync(file(`2024/03/15/IMG_${n}.JPG`));
    const stopped = await run();
    expect(stopped).toMatchObject({ outcome: 'mass-deletion', errorCode: 'MASS_DELETION', vanished: 5 });
    expect(listDeletedFiles(databasePath)).toEqual([]);
    const confirmed = await run({ confirmDeletions: 5 });
    expect(confirmed).toMatchObject({ outcome: 'success', deletedNoticed: 5, downloaded: 0 });
  });

  it('stops with FOLDER_MISSING when the marker is gone, and never recreates it', async () => {
    await run();
    rmSync(join(folder, MARKER_FILE));
    expect(await run()).toMatchObject({ outcome: 'folder-missing', errorCode: 'FOLDER_MISSING' });
    expect(existsSync(join(folder, MARKER_FILE))).toBe(false);
    rmSync(folder, { recursive: true });
    expect((await run()).errorCode).toBe('FOLDER_MISSING');
    expect(existsSync(folder)).toBe(false);
    expect(readSyncStatus(databasePath).counts.deletedLocally).toBe(0);
  });

  it('moves files when the template changes, without downloading', async () => {
    await run();
    source.downloads = [];
    const moved = await run({ template: '{name}' });
    expect(moved).toMatchObject({ outcome: 'success', moved: 11, downloaded: 0 });
    expect(source.downloads).toEqual([]);
    expect(existsSync(file('IMG_1.JPG'))).toBe(true);
    expect(existsSync(join(folder, '2024'))).toBe(false);
    expect((await run({ template: '{name}' })).moved).toBe(0);
  });

  it('adopts matching files already in the folder and notices files moved by the user', async () => {
    const a = source.assets[2]!;
    mkdirSync(dirname(file('2024/03/15/IMG_2.JPG')), { recursive: true });
    writeFileSync(file('2024/03/15/IMG_2.JPG'), bytesOf(a.resources[0]!));
    const first = await run();
    expect(first).toMatchObject({ adopted: 1, downloaded: 10 });
    mkdirSync(file('Best'));
    const { renameSync } = await import('node:fs');
    renameSync(file('2024/03/15/IMG_4.JPG'), file('Best/four.jpg'));
    const second = await run();
    expect(second).toMatchObject({ movedByUser: 1, deletedNoticed: 0, downloaded: 0 });
  });

  it('a file renamed into place but not yet recorded (a crash in between) is adopted, not fetched again', async () => {
    await run();
    const raw = new Database(databasePath);
    raw.prepare(`DELETE FROM files WHERE rel_path = ?`).run('2024/03/15/IMG_5.JPG');
    raw.close();
    source.downloads = [];
    expect(await run()).toMatchObject({ adopted: 1, downloaded: 0 });
    expect(source.downloads).toEqual([]);
  });

  it('a damaged database is kept aside; the next run starts a new one and re-adopts the folder', async () => {
    await run();
    writeFileSync(databasePath, Buffer.alloc(8192, 7));
    await expect(run()).rejects.toMatchObject({ code: 'DATABASE_CORRUPT' });
    expect(readdirSync(dirname(databasePath)).some((n) => n.includes('.corrupt-'))).toBe(true);
    source.downloads = [];
    expect(await run()).toMatchObject({ outcome: 'success', adopted: 11, downloaded: 0 });
    expect(source.downloads).toEqual([]);
  });

  it('a dry run returns the plan and writes nothing at all', async () => {
    const dry = await run({ dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, runId: null, outcome: 'success' });
    expect(dry.plan?.counts.download).toBe(11);
    expect(readdirSync(folder)).toEqual([MARKER_FILE]);
    expect(existsSync(dirname(databasePath))).toBe(false);
  });

  it('refuses a run while the run lock is held, and runs once it is released', async () => {
    mkdirSync(dirname(databasePath), { recursive: true });
    const release = acquireRunLock(`${databasePath}.lock`);
    await expect(run()).rejects.toMatchObject({ code: 'ALREADY_RUNNING' });
    await expect(run()).rejects.toBeInstanceOf(SyncError);
    release();
    expect((await run()).outcome).toBe('success');
    // The run released its lock too.
    acquireRunLock(`${databasePath}.lock`)();
  });
});
