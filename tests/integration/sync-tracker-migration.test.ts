import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/tracker/migrations.js';
import { expectedFileKeys, expectFilesMatchSimulator, syncWorlds } from './sync-helpers.js';

/** Tracker rows as the version before migration 2 wrote them: an edit was keyed by its master. */
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
}

/**
 * Rewrites `path` as the previous version would have left it: schema 1 exactly (migration 1's SQL,
 * which is never edited), edits keyed by their master, and, as that version could keep only one
 * edit per master, one edit of each Duplicate pair. Returns the paths of the edits it left out.
 */
function rewriteAsSchemaOne(path: string): string[] {
  const current = new Database(path);
  const files = current.prepare('SELECT * FROM files').all() as Array<OldFileRow & { asset_record: string | null }>;
  const settings = current.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
  current.close();
  const old = new Database(`${path}.v1`);
  old.exec(MIGRATIONS[0]!);
  old.pragma('user_version = 1');
  const insert = old.prepare(`INSERT OR IGNORE INTO files VALUES (@asset_id, @version, @rel_path, @path_key, @size, @sha256,
    @mtime_ms, @file_checksum, @state, @recorded_at, @noticed_at)`);
  const left: string[] = [];
  for (const { asset_record: _, ...row } of files) {
    const result = insert.run({ ...row, asset_id: row.version === 'edited' ? row.asset_id.split(':')[0] : row.asset_id });
    if (result.changes === 0) left.push(row.rel_path);
  }
  for (const { key, value } of settings) old.prepare('INSERT INTO settings VALUES (?, ?)').run(key, value);
  old.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  renameSync(`${path}.v1`, path);
  return left;
}

describe('sync: tracker migration 2 (edits get their own identity)', () => {
  const openWorld = syncWorlds();

  it('a database of the previous version keeps every file: edits move to the new identity, nothing is downloaded twice', async () => {
    const world = await openWorld({ assets: 40 });
    const lib = world.session.library;
    const copy = [...lib.assets()].find((a) => a.duplicateOf !== undefined)!;
    expect(await world.run()).toMatchObject({ outcome: 'success' });
    const before = world.tracked();
    // The previous version never downloaded the edit it could not keep.
    const missed = rewriteAsSchemaOne(world.databasePath);
    expect(missed).toHaveLength(1);
    for (const relPath of missed) rmSync(join(world.folder, ...relPath.split('/')));
    const raw = new Database(world.databasePath, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
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
  });
});
