import type Database from 'better-sqlite3';

/** One blob this library put in the archive container. */
export interface ArchivedFile {
  blobName: string;
  assetId: string;
  version: string;
  relPath: string;
  size: number;
  sha256: string;
  /** The file's mtime when it was hashed: with the size, tells whether it changed since. */
  mtimeMs: number;
  etag: string;
  archivedAt: number;
}

export type ArchiveOutcome = 'running' | 'success' | 'partial' | 'interrupted' | 'failed' | 'mass-deletion';

export interface ArchiveRunEnd {
  endedAt: number;
  outcome: ArchiveOutcome;
  uploaded: number;
  bytes: number;
  removed: number;
  failed: number;
  errorCode?: string | null;
  errorMessage?: string | null;
}

export interface ArchiveRunRecord extends ArchiveRunEnd {
  id: number;
  startedAt: number;
  endedAt: number;
  errorCode: string | null;
  errorMessage: string | null;
}

const ARCHIVED_COLUMNS = `blob_name AS blobName, asset_id AS assetId, version, rel_path AS relPath, size, sha256,
  mtime_ms AS mtimeMs, etag, archived_at AS archivedAt`;

/** The archive's rows in the account's tracker (migration 5): what is in the container, and its runs. */
export class ArchiveStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      all: db.prepare(`SELECT ${ARCHIVED_COLUMNS} FROM archived_files ORDER BY rel_path, archived_at`),
      upsert: db.prepare(`INSERT INTO archived_files (blob_name, asset_id, version, rel_path, size, sha256, mtime_ms, etag, archived_at)
        VALUES (@blobName, @assetId, @version, @relPath, @size, @sha256, @mtimeMs, @etag, @archivedAt)
        ON CONFLICT (blob_name) DO UPDATE SET asset_id = excluded.asset_id, version = excluded.version, rel_path = excluded.rel_path,
          size = excluded.size, sha256 = excluded.sha256, mtime_ms = excluded.mtime_ms, etag = excluded.etag, archived_at = excluded.archived_at`),
      remove: db.prepare(`DELETE FROM archived_files WHERE blob_name = ?`),
      setMtime: db.prepare(`UPDATE archived_files SET mtime_ms = ? WHERE blob_name = ?`),
      startRun: db.prepare(`INSERT INTO archive_runs (started_at, outcome) VALUES (?, 'running')`),
      finishRun: db.prepare(`UPDATE archive_runs SET ended_at = @endedAt, outcome = @outcome, uploaded = @uploaded, bytes = @bytes,
        removed = @removed, failed = @failed, error_code = @errorCode, error_message = @errorMessage WHERE id = @id`),
      lastRuns: db.prepare(`SELECT id, started_at AS startedAt, ended_at AS endedAt, outcome, uploaded, bytes, removed, failed,
        error_code AS errorCode, error_message AS errorMessage FROM archive_runs WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT ?`),
    };
  }

  archivedFiles(): ArchivedFile[] {
    return this.stmt.all.all() as ArchivedFile[];
  }

  /** Recorded once the service holds the whole blob (committed), never before. */
  recordArchived(file: ArchivedFile): void {
    this.stmt.upsert.run(file);
  }

  /** The file of an archived blob was touched, its bytes unchanged: remember its mtime now. */
  recordMtime(blobName: string, mtimeMs: number): void {
    this.stmt.setMtime.run(mtimeMs, blobName);
  }

  forget(blobName: string): void {
    this.stmt.remove.run(blobName);
  }

  startRun(at: number): number {
    return Number(this.stmt.startRun.run(at).lastInsertRowid);
  }

  finishRun(id: number, end: ArchiveRunEnd): void {
    this.stmt.finishRun.run({ errorCode: null, errorMessage: null, ...end, id });
  }

  lastRuns(limit: number): ArchiveRunRecord[] {
    return this.stmt.lastRuns.all(limit) as ArchiveRunRecord[];
  }

  /** Capture dates (ms) of the masters, for the blobs' metadata; an edit's id is `<master>:<checksum>`. */
  captureDates(): Map<string, number> {
    const rows = this.db.prepare(`SELECT id, asset_date AS assetDate FROM assets`).all() as Array<{ id: string; assetDate: number }>;
    return new Map(rows.map((row) => [row.id, row.assetDate]));
  }
}
