import type Database from 'better-sqlite3';
import type { RecordProblem } from '../icloud/photos/listing-problems.js';
import type { DatabaseSyncToken, ZoneSyncToken } from '../icloud/photos/photo-source.js';
import { ArchiveStore } from './archive-store.js';
import { FILE_COLUMNS, pathKey, toTrackedFile, type FileRow } from './file-rows.js';
import { openTrackerDatabase, openTrackerReadOnly, openTrackerSnapshot } from './open-database.js';
import { SqlKnownFiles, type KnownFiles } from './known-files.js';
import { RunStore } from './tracker-runs.js';
import { SqlTrackedKeys, type TrackedKeys } from './tracked-keys.js';
import type { NewTrackedFile, SeenAsset, TrackedFile, TrackerCounts } from './tracker-types.js';

export { pathKey };

/**
 * A counter bumped by every change that needs the next run to list the whole library (a restore).
 * A run that started before such a change must not save its change-feed position over it.
 */
const LISTING_RESETS = 'listing-resets';
/**
 * The database change-feed positions (DatabaseSyncToken[] as JSON) stored with the zone tokens of
 * `sync_tokens`, and dropped with them: a settings row, so no migration was needed.
 */
const DATABASE_TOKENS = 'database-sync-tokens';
/** The identity (marker id) of the sync folder the `files` rows describe. */
const FOLDER_ID = 'folder-id';
const ARCHIVED_COLUMNS = `asset_id, asset_record, version, rel_path, size, sha256, mtime_ms, file_checksum, state, recorded_at, noticed_at, placed_by_user`;

/**
 * The values of upsertFile, in its column order. Positional: binding named parameters from an object
 * costs better-sqlite3 a property lookup per column and was a tenth of recording a download.
 */
function fileRow(file: NewTrackedFile) {
  const { assetId, assetRecord, version, relPath, size, sha256, mtimeMs, fileChecksum, recordedAt } = file;
  return [assetId, assetRecord ?? null, version, relPath, pathKey(relPath), size, sha256, mtimeMs, fileChecksum, recordedAt] as const;
}

/** A file complete on disk, and the row of an earlier file of ours it replaced, if any (recordFinished). */
export interface FinishedFile {
  file: NewTrackedFile;
  replaces?: { assetId: string; version: string };
}

/**
 * Everything the engine remembers about one account: the only place with SQL. Writes are batched in
 * transactions and skip rows that would not change, so an idle run writes only its run record.
 */
export class Tracker {
  readonly runs: RunStore;
  /** What the off-site archive holds (src-main/archive/). */
  readonly archive: ArchiveStore;
  private readonly stmt;

  private constructor(private readonly db: Database.Database) {
    this.runs = new RunStore(db);
    this.archive = new ArchiveStore(db);
    this.stmt = {
      allFiles: db.prepare(`SELECT ${FILE_COLUMNS} FROM files ORDER BY rel_path`),
      deletedFiles: db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE state = 'deleted-locally' ORDER BY noticed_at DESC, rel_path`),
      upsertFile: db.prepare(`INSERT INTO files (asset_id, asset_record, version, rel_path, path_key, size, sha256, mtime_ms,
          file_checksum, state, recorded_at, noticed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'downloaded', ?, NULL)
        ON CONFLICT (asset_id, version) DO UPDATE SET asset_record = excluded.asset_record, rel_path = excluded.rel_path, path_key = excluded.path_key,
          size = excluded.size, sha256 = excluded.sha256, mtime_ms = excluded.mtime_ms,
          file_checksum = excluded.file_checksum, state = 'downloaded', recorded_at = excluded.recorded_at, noticed_at = NULL,
          placed_by_user = 0`),
      movePath: db.prepare(`UPDATE files SET rel_path = ?, path_key = ?, placed_by_user = ? WHERE asset_id = ? AND version = ?`),
      markDeleted: db.prepare(`UPDATE files SET state = 'deleted-locally', noticed_at = ?
        WHERE asset_id = ? AND version = ? AND state = 'downloaded'`),
      forget: db.prepare(`DELETE FROM files WHERE asset_id = ? AND version = ? AND state = 'deleted-locally'`),
      dropFile: db.prepare(`DELETE FROM files WHERE asset_id = ? AND version = ?`),
      // One row per original. Duplicates share it: the entry added first (then by record name) writes
      // it, whatever order the listing brings them in, so an idle run writes nothing here.
      upsertAsset: db.prepare(`INSERT INTO assets (id, asset_record, library, filename, asset_date, added_date, change_tag, first_seen_at)
        VALUES (@id, @assetRecord, @library, @filename, @assetDate, @addedDate, @changeTag, @at)
        ON CONFLICT (id) DO UPDATE SET asset_record = excluded.asset_record, library = excluded.library, filename = excluded.filename,
          asset_date = excluded.asset_date, added_date = excluded.added_date, change_tag = excluded.change_tag
        WHERE (assets.asset_record IS NULL OR excluded.added_date < assets.added_date
            OR (excluded.added_date = assets.added_date AND excluded.asset_record <= assets.asset_record))
          AND (asset_record IS NOT excluded.asset_record OR library IS NOT excluded.library OR filename IS NOT excluded.filename
            OR asset_date IS NOT excluded.asset_date OR added_date IS NOT excluded.added_date OR change_tag IS NOT excluded.change_tag)`),
      attentionNames: db.prepare(`SELECT zone_name AS zoneName, record_name AS recordName FROM needs_attention`),
      dropAttention: db.prepare(`DELETE FROM needs_attention WHERE zone_name = ? AND record_name = ?`),
      noteAttention: db.prepare(`INSERT INTO needs_attention (zone_name, record_name, code, reason, noticed_at)
        VALUES (@zoneName, @recordName, @code, @reason, @at)
        ON CONFLICT (zone_name, record_name) DO UPDATE SET code = excluded.code, reason = excluded.reason
        WHERE code IS NOT excluded.code OR reason IS NOT excluded.reason`),
      needsAttention: db.prepare(`SELECT zone_name AS zoneName, record_name AS recordName, code, reason, noticed_at AS noticedAt
        FROM needs_attention ORDER BY zone_name, record_name`),
      tokens: db.prepare(`SELECT zone_name AS zoneName, library, token FROM sync_tokens ORDER BY library, zone_name`),
      deleteTokens: db.prepare(`DELETE FROM sync_tokens`),
      deleteSetting: db.prepare(`DELETE FROM settings WHERE key = ?`),
      insertToken: db.prepare(`INSERT INTO sync_tokens (zone_name, library, token, updated_at) VALUES (?, ?, ?, ?)`),
      getSetting: db.prepare(`SELECT value FROM settings WHERE key = ?`),
      setSetting: db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value`),
      counts: db.prepare(`SELECT (SELECT count(*) FROM assets) AS assets,
        (SELECT count(*) FROM files WHERE state = 'downloaded') AS downloaded,
        (SELECT count(*) FROM files WHERE state = 'deleted-locally') AS deletedLocally,
        (SELECT coalesce(sum(size), 0) FROM files WHERE state = 'downloaded') AS bytesOnDisk,
        (SELECT count(*) FROM asset_errors) AS pendingErrors`),
    };
  }

  /** The account's database at `path`, created and migrated as needed. */
  static open(path: string): Tracker {
    return new Tracker(openTrackerDatabase(path));
  }

  /** A throw-away in-memory copy (dry runs): the file at `path` is only read. */
  static openSnapshot(path: string): Tracker {
    return new Tracker(openTrackerSnapshot(path));
  }

  /** The file at `path` for reading only, without copying it into memory (`status`); writes throw. */
  static openReadOnly(path: string): Tracker {
    return new Tracker(openTrackerReadOnly(path));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  allFiles(): TrackedFile[] {
    return (this.stmt.allFiles.all() as FileRow[]).map(toTrackedFile);
  }

  /** The tracked files' keys in the order the local scan walks the folder (tracked-keys.ts). */
  filesByFolder(): TrackedKeys {
    return new SqlTrackedKeys(this.db);
  }

  /** The tracked files as the planner asks for them, one question at a time (known-files.ts). */
  knownFiles(): KnownFiles {
    return new SqlKnownFiles(this.db);
  }

  /**
   * Runs `read` (the planner's questions, one or two per photo) in one transaction: one consistent
   * view of the tracker, and one read lock instead of one per question (in WAL mode each lone
   * statement locks and unlocks the shared memory file: ~6 fcntl calls per photo).
   */
  readTogether<T>(read: () => T): T {
    return this.db.transaction(read)();
  }

  deletedFiles(): TrackedFile[] {
    return (this.stmt.deletedFiles.all() as FileRow[]).map(toTrackedFile);
  }

  /** Records downloaded (or adopted) files, replacing any earlier row for the same asset version. */
  recordFiles(files: ReadonlyArray<NewTrackedFile>): void {
    this.batch(files, (f) => this.stmt.upsertFile.run(...fileRow(f)));
  }

  /**
   * Records a download that replaced an earlier file of ours at the same path under another identity
   * (a re-edit: the edit's checksum, so its identity, changed). The old row goes in the same transaction.
   */
  replaceFile(old: { assetId: string; version: string }, file: NewTrackedFile): void {
    this.db.transaction(() => {
      this.stmt.dropFile.run(old.assetId, old.version);
      this.stmt.upsertFile.run(...fileRow(file));
    })();
  }

  /**
   * Records finished downloads and adoptions, many in one transaction: each file's row (a re-edit
   * also drops the row it replaced, under the edit's old identity) and the end of its retry entry.
   * Only for files complete on disk (fsynced, renamed, their folder fsynced): record-batch.ts.
   */
  recordFinished(entries: ReadonlyArray<FinishedFile>): void {
    // Usually no file has a retry entry: one look per batch saves a DELETE per file.
    const clearErrors = entries.length > 0 && this.runs.hasAssetErrors();
    this.batch(entries, ({ file, replaces }) => {
      if (replaces) this.stmt.dropFile.run(replaces.assetId, replaces.version);
      this.stmt.upsertFile.run(...fileRow(file));
      if (clearErrors) this.runs.clearAssetError(file.assetId, file.version);
    });
  }

  /** New paths of tracked files; `byUser` when the user put them there (a layout change then leaves them). */
  updatePaths(moves: ReadonlyArray<{ assetId: string; version: string; relPath: string }>, byUser: boolean): void {
    this.batch(moves, (m) => this.stmt.movePath.run(m.relPath, pathKey(m.relPath), byUser ? 1 : 0, m.assetId, m.version));
  }

  markDeletedLocally(files: ReadonlyArray<{ assetId: string; version: string }>, noticedAt: number): void {
    this.batch(files, (f) => this.stmt.markDeleted.run(noticedAt, f.assetId, f.version));
  }

  /**
   * Un-marks a locally deleted file so the next run downloads it again. The change-feed position is
   * dropped too: the next run lists the whole library, where the restored photo is. False when it
   * was not marked.
   */
  restoreDeleted(assetId: string, version: string): boolean {
    return this.db.transaction(() => {
      const restored = this.stmt.forget.run(assetId, version).changes > 0;
      if (restored) {
        this.forgetPosition();
        this.setSetting(LISTING_RESETS, String(this.listingResets() + 1));
      }
      return restored;
    })();
  }

  /** How many times the change-feed position was reset from outside a run (see saveSyncTokens). */
  listingResets(): number {
    return Number(this.setting(LISTING_RESETS) ?? 0);
  }

  recordAssets(assets: ReadonlyArray<SeenAsset>, at: number): void {
    this.batch(assets, (a) => this.stmt.upsertAsset.run({ ...a, assetRecord: a.assetRecord ?? null, at }));
  }

  /**
   * Notes records iCloud refuses for good (e.g. ACCESS_DENIED). A full listing sees every record, so
   * it also forgets the ones no longer refused; an incremental one only adds. Unchanged rows are not
   * rewritten.
   */
  noteNeedsAttention(problems: ReadonlyArray<RecordProblem>, fullListing: boolean, at: number): void {
    this.db.transaction(() => {
      if (fullListing) {
        const seen = new Set(problems.map((p) => `${p.zoneName}\u0000${p.recordName}`));
        for (const row of this.stmt.attentionNames.all() as Array<{ zoneName: string; recordName: string }>) {
          if (!seen.has(`${row.zoneName}\u0000${row.recordName}`)) this.stmt.dropAttention.run(row.zoneName, row.recordName);
        }
      }
      for (const p of problems) this.stmt.noteAttention.run({ ...p, at });
    })();
  }

  /** Records iCloud refused for good, for the user to look at. */
  needsAttention(): Array<RecordProblem & { noticedAt: number }> {
    return this.stmt.needsAttention.all() as Array<RecordProblem & { noticedAt: number }>;
  }

  /** Drops the change-feed position (zone and database tokens): the next run lists the whole library. */
  private forgetPosition(): void {
    this.stmt.deleteTokens.run();
    this.stmt.deleteSetting.run(DATABASE_TOKENS);
  }

  /** The database positions stored with the zone tokens (none before the first run that took them). */
  databaseTokens(): DatabaseSyncToken[] {
    const stored = this.setting(DATABASE_TOKENS);
    if (!stored) return [];
    try {
      const parsed = JSON.parse(stored) as unknown;
      return Array.isArray(parsed) ? parsed.filter(isDatabaseToken) : [];
    } catch {
      return [];
    }
  }

  syncTokens(): ZoneSyncToken[] {
    return this.stmt.tokens.all() as ZoneSyncToken[];
  }

  /**
   * Replaces the stored tokens (zone tokens, and the database positions taken with them); writes
   * nothing when they are the same. `resetsSeen` is
   * listingResets() when the run started: if a restore happened since (another process, during
   * the run), the tokens are not saved, so the next run lists the whole library as the restore asked.
   */
  saveSyncTokens(tokens: ReadonlyArray<ZoneSyncToken>, at: number, resetsSeen: number, databaseTokens: ReadonlyArray<DatabaseSyncToken> = []): void {
    const key = (list: ReadonlyArray<ZoneSyncToken>) =>
      JSON.stringify(list.map((t) => [t.library, t.zoneName, t.token]).sort());
    this.db.transaction(() => {
      if (this.listingResets() !== resetsSeen) return;
      if (key(tokens) !== key(this.syncTokens())) {
        this.forgetPosition();
        for (const t of tokens) this.stmt.insertToken.run(t.zoneName, t.library, t.token, at);
      }
      const databaseJson = databaseTokens.length > 0 ? JSON.stringify(databaseTokens) : null;
      if (this.setting(DATABASE_TOKENS) === databaseJson) return;
      if (databaseJson === null) this.stmt.deleteSetting.run(DATABASE_TOKENS);
      else this.setSetting(DATABASE_TOKENS, databaseJson);
    }).immediate();
  }

  clearSyncTokens(): void {
    this.forgetPosition();
  }

  folderId(): string | null {
    return this.setting(FOLDER_ID);
  }

  /**
   * Makes `folderId` the folder the `files` rows describe. The rows of the folder used before are
   * kept aside under its identity, and the rows kept for `folderId` (a folder used before: a drive
   * plugged back in) come back. The change-feed position goes, so the next listing is full: a new
   * folder gets everything downloaded or adopted. Returns whether the folder was known.
   */
  switchFolder(folderId: string): boolean {
    return this.db.transaction(() => {
      const previous = this.folderId();
      if (previous !== null) {
        this.db.prepare(`INSERT OR REPLACE INTO other_folder_files (folder_id, ${ARCHIVED_COLUMNS}) SELECT ?, ${ARCHIVED_COLUMNS} FROM files`).run(previous);
      }
      this.db.exec(`DELETE FROM files`);
      const kept = this.db.prepare(`SELECT ${ARCHIVED_COLUMNS} FROM other_folder_files WHERE folder_id = ?`).all(folderId) as Array<{ rel_path: string }>;
      const restore = this.db.prepare(`INSERT INTO files (path_key, ${ARCHIVED_COLUMNS})
        VALUES (@pathKey, ${ARCHIVED_COLUMNS.split(', ').map((c) => `@${c}`).join(', ')})`);
      for (const row of kept) restore.run({ ...row, pathKey: pathKey(row.rel_path) });
      this.db.prepare(`DELETE FROM other_folder_files WHERE folder_id = ?`).run(folderId);
      this.forgetPosition();
      this.setSetting(FOLDER_ID, folderId);
      return kept.length > 0;
    })();
  }

  /** Records the folder's identity for a tracker that has none yet (a new tracker, or one from before identities). */
  adoptFolderId(folderId: string): void {
    this.setSetting(FOLDER_ID, folderId);
  }

  setting(key: string): string | null {
    const row = this.stmt.getSetting.get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.stmt.setSetting.run(key, value);
  }

  counts(): TrackerCounts {
    return this.stmt.counts.get() as TrackerCounts;
  }

  private batch<T>(items: ReadonlyArray<T>, write: (item: T) => unknown): void {
    if (items.length === 0) return;
    this.db.transaction(() => {
      for (const item of items) write(item);
    })();
  }
}

function isDatabaseToken(value: unknown): value is DatabaseSyncToken {
  const entry = value as Partial<DatabaseSyncToken> | null;
  return typeof entry?.token === 'string' && (entry.database === 'private' || entry.database === 'shared');
}
