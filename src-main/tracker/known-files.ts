import type Database from 'better-sqlite3';
import { FILE_COLUMNS, pathKey, toTrackedFile, type FileRow } from './file-rows.js';
import type { TrackedFile } from './tracker-types.js';

/**
 * What the planner asks about the tracked files, one question at a time, so a run never loads
 * every tracked file into memory (issue 11).
 */
export interface KnownFiles {
  /** The file of one asset version, in any state. */
  get(assetId: string, version: string): TrackedFile | undefined;
  /** The file whose path has this pathKey, in any state. */
  atPathKey(key: string): TrackedFile | undefined;
  /** Every edited file (re-edits replace them): a small part of the library. */
  editedFiles(): TrackedFile[];
  /** The paths of the downloaded files, read as they are consumed (stop early to read less). */
  downloadedPaths(): Iterable<string>;
}

/** The tracker's files, asked in SQL (primary key and the unique path_key index). */
export class SqlKnownFiles implements KnownFiles {
  private readonly byId: Database.Statement;
  private readonly byPath: Database.Statement;
  private readonly edited: Database.Statement;
  private readonly downloaded: Database.Statement;

  constructor(db: Database.Database) {
    this.downloaded = db.prepare(`SELECT rel_path FROM files WHERE state = 'downloaded'`).pluck();
    this.byId = db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE asset_id = ? AND version = ?`);
    this.byPath = db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE path_key = ?`);
    this.edited = db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE version = 'edited' ORDER BY rel_path`);
  }

  get(assetId: string, version: string): TrackedFile | undefined {
    const row = this.byId.get(assetId, version) as FileRow | undefined;
    return row && toTrackedFile(row);
  }

  atPathKey(key: string): TrackedFile | undefined {
    const row = this.byPath.get(key) as FileRow | undefined;
    return row && toTrackedFile(row);
  }

  editedFiles(): TrackedFile[] {
    return (this.edited.all() as FileRow[]).map(toTrackedFile);
  }

  downloadedPaths(): Iterable<string> {
    return this.downloaded.iterate() as IterableIterator<string>;
  }
}

/** The same over a list in memory (tests, dry runs of small trackers). */
export class ListedKnownFiles implements KnownFiles {
  private readonly byId = new Map<string, TrackedFile>();
  private readonly byPath = new Map<string, TrackedFile>();

  constructor(private readonly files: ReadonlyArray<TrackedFile>) {
    for (const f of files) {
      this.byId.set(`${f.assetId}\u0000${f.version}`, f);
      this.byPath.set(pathKey(f.relPath), f);
    }
  }

  get(assetId: string, version: string): TrackedFile | undefined {
    return this.byId.get(`${assetId}\u0000${version}`);
  }

  atPathKey(key: string): TrackedFile | undefined {
    return this.byPath.get(key);
  }

  editedFiles(): TrackedFile[] {
    return this.files.filter((f) => f.version === 'edited');
  }

  downloadedPaths(): Iterable<string> {
    return this.files.filter((f) => f.state === 'downloaded').map((f) => f.relPath);
  }
}
