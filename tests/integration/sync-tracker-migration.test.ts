import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/tracker/migrations.js';
import { expectedFileKeys, expectFilesMatchSimulator, syncWorlds } from './sync-helpers.js';

/** Tracker rows as the version before migration 3 wrote them: an edit was keyed by its master. */
interface OldFileRow {
  asset_id: string;
  version: string;
  rel_path: string;
  path_key: string;
  size: number;
  sha256: string;
  mtime_ms: number;
  file_checksum: string;
  state: string;
  recorded_at: number;
  noticed_at: number | null;
  placed_by_user: number;
}

/** The folder identity the rewritten database keeps archived rows under (a folder used before). */
const OTHER_FOLDER = 'folder-used-before';

/**
 * Rewrites `path` as the previous version would have left it: schema 2 exactly (migrations 1 and 2,
 * whose SQL is never edited), edits keyed by their master, and, as that version could keep only one
 * edit per master, one edit of each Duplicate pair. The same rows are also archived in
 * `other_folder_files` under another folder's identity, as issue 9 keeps them for a folder used
 * before. Returns the paths of the edits it left out.
 */
function rewriteAsSchemaTwo(path: string): string[] {
  const current = new Database(path);
  const files = current.prepare('SELECT * FROM files').all() as Array<OldFileRow & { asset_record: string | null }>;
  const settings = current.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
  current.close();
  const old = new Database(`${path}.v2`);
  old.exec(MIGRATIONS[0]!);
  old.exec(MIGRATIONS[1]!);
  old.pragma('user_version = 2');
  const columns = 'asset_id, version, rel_path, size, sha256, mtime_ms, file_checksum, state, recorded_at, noticed_at, placed_by_user';
  const values = columns.split(', ').map((c) => `@${c}`).join(', ');
  const insert = old.prepare(`INSERT OR IGNORE INTO files (path_key, ${columns}) VALUES (@path_key, ${values})`);
  const archive = old.prepare(`INSERT OR IGNORE INTO other_folder_files (folder_id, ${columns}) VALUES (@folder_id, ${values})`);
  const left: string[] = [];
  for (const { asset_record: _, ...row } of files) {
    const oldRow = { ...row, asset_id: row.version === 'edited' ? row.asset_id.split(':')[0] : row.asset_id };
    if (insert.run(oldRow).changes === 0) left.push(row.rel_path);
    archive.run({ ...oldRow, folder_id: OTHER_FOLDER });
  }
  for (const { key, value } of settings) old.prepare('INSERT INTO settings VALUES (?, ?)').run(key, value);
  old.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  renameSync(`${path}.v2`, path);
  return left;
}

describe('sync: tracker migration 3 (edits get their own identity)', () => {
  const openWorld = syncWorlds();

  it('a database of the previous version keeps every file: edits move to the new identity, nothing is downloaded twice', async () => {
    const world = await openWorld({ assets: 40 });
    const lib = world.session.library;
    const copy = [...lib.assets()].find((a) => a.duplicateOf !== undefined)!;
    expect(await world.run()).toMatchObject({ outcome: 'success' });
    const before = world.tracked();
    // The previous version never downloaded the edit it could not keep.
    const missed = rewriteAsSchemaTwo(world.databasePath);
    expect(missed).toHaveLength(1);
    for (const relPath of missed) rmSync(join(world.folder, ...relPath.split('/')));
    const raw = new Database(world.databasePath, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    const oldEdits = raw.prepare(`SELECT count(*) FROM files WHERE version = 'edited'`).pluck().get() as number;
    raw.close();
    // The old schema held one edit per master: one of the Duplicate pair's two edits is not in it.
    expect(oldEdits).toBe(before.filter((f) => f.version === 'edited').length - 1);

    const after = await world.run();
    expect(after).toMatchObject({ outcome: 'success', failures: [], listing: 'full' });
    // Only the Duplicate's missing edit is fetched; every migrated file is recognised where it is.
    expect(after.downloaded).toBe(1);
    expect(after.adopted).toBe(0);
    const tracked = world.tracked();
    expect(tracked.map((f) => `${f.assetId}/${f.version}`).sort()).toEqual(expectedFileKeys(lib.assets()));
    expect(tracked.map((f) => f.relPath).sort()).toEqual(before.map((f) => f.relPath).sort());
    expect(tracked.filter((f) => f.assetId.startsWith(`${copy.masterId}:`))).toHaveLength(2);
    expectFilesMatchSimulator(world);
    expect(await world.run()).toMatchObject({ outcome: 'success', downloaded: 0 });
    // The other folder's archived edits moved to the new identity too, so going back to it finds them.
    const migrated = new Database(world.databasePath, { readonly: true });
    const archived = migrated
      .prepare(`SELECT asset_id AS assetId, file_checksum AS fileChecksum, asset_record AS assetRecord FROM other_folder_files
        WHERE folder_id = ? AND version = 'edited'`)
      .all(OTHER_FOLDER) as Array<{ assetId: string; fileChecksum: string; assetRecord: string | null }>;
    migrated.close();
    expect(archived).toHaveLength(oldEdits);
    for (const row of archived) {
      expect(row.assetId).toMatch(/^[^:]+:/);
      expect(row.assetId.endsWith(`:${row.fileChecksum}`)).toBe(true);
      expect(row.assetRecord).toBeNull();
    }
  });
});
