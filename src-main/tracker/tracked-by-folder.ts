import type Database from 'better-sqlite3';
import { FILE_COLUMNS, pathKey, toTrackedFile, type FileRow } from './file-rows.js';
import type { TrackedFile } from './tracker-types.js';

/**
 * A tracked file as the local scan first sees it: its file name as recorded (the part after the
 * last '/'), its path key, and whether it is downloaded (1) or deleted locally (0).
 */
export type TrackedKey = [name: string, key: string, downloaded: number];

/**
 * The tracked files the local scan compares a folder with, one folder at a time and only their
 * keys, so a scan never holds every tracked file (about 128 MB of heap at 300,000 files). Folder
 * keys are pathKey of the folder's relative path with a trailing '/', '' for the sync folder itself.
 */
export interface TrackedByFolder {
  /**
   * Every tracked file (any state) directly in the folder, not in its sub-folders. `subFolderKeys`
   * (the keys of its sub-folders on disk) only saves reading their files here: they are read with
   * their own folder.
   */
  keysInFolder(folderKey: string, subFolderKeys?: ReadonlyArray<string>): TrackedKey[];
  /** The whole rows of some tracked files, by key (the few the scan did not find). */
  filesAt(keys: ReadonlyArray<string>): TrackedFile[];
  /**
   * Downloaded files whose folder is none of `walkedFolderKeys` (a folder deleted, or under a link).
   * `downloadedSeen` is how many downloaded files keysInFolder gave for those folders.
   */
  outsideFolders(walkedFolderKeys: ReadonlySet<string>, downloadedSeen: number): TrackedFile[];
}

/** The key of the folder `relPath` is in ('' for the sync folder itself). */
export function folderKeyOf(relPathOrKey: string): string {
  const key = pathKey(relPathOrKey);
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/**
 * The tracker's files by folder. A folder's rows are a range of the unique path_key index (every
 * key in it starts with the folder key); rows of sub-folders in that range are left out in SQL.
 * The folders the walk did not reach are compared in SQL too (`rtrim(k, replace(k, '/', ''))` is
 * the folder part of a key), so only the files not found come back.
 */
export class SqlTrackedByFolder implements TrackedByFolder {
  private readonly range: Database.Statement;
  private readonly top: Database.Statement;
  private readonly tail: Database.Statement;
  private readonly byKey: Database.Statement;
  private readonly downloadedCount: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.downloadedCount = db.prepare(`SELECT count(*) FROM files WHERE state = 'downloaded'`).pluck();
    // The name part of rel_path: rtrim(p, replace(p, '/', '')) is p up to its last '/'.
    const columns = `substr(rel_path, length(rtrim(rel_path, replace(rel_path, '/', ''))) + 1), path_key, state = 'downloaded'`;
    this.range = db.prepare(`SELECT ${columns} FROM files
      WHERE path_key >= @from AND path_key < @to AND instr(substr(path_key, @after), '/') = 0`).raw();
    this.top = db.prepare(`SELECT ${columns} FROM files WHERE instr(path_key, '/') = 0`).raw();
    this.tail = db.prepare(`SELECT ${columns} FROM files WHERE path_key >= @from AND instr(substr(path_key, @after), '/') = 0`).raw();
    this.byKey = db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE path_key = ?`);
  }

  keysInFolder(folderKey: string, subFolderKeys: ReadonlyArray<string> = []): TrackedKey[] {
    if (folderKey === '' && subFolderKeys.length === 0) return this.top.all() as TrackedKey[];
    // Keys under 'a/b/' sort from 'a/b/' up to (not including) 'a/b0' ('0' follows '/'). The ranges
    // of the sub-folders are skipped: without that, each file would be read once per folder above it.
    const after = [...folderKey].length + 1; // substr counts characters
    const rows: TrackedKey[] = [];
    let from = folderKey;
    for (const [start, end] of subFolderRanges(folderKey, subFolderKeys)) {
      rows.push(...(this.range.all({ from, to: start, after }) as TrackedKey[]));
      from = end;
    }
    const last = folderKey === '' ? this.tail.all({ from, after }) : this.range.all({ from, to: `${folderKey.slice(0, -1)}0`, after });
    rows.push(...(last as TrackedKey[]));
    return rows;
  }

  filesAt(keys: ReadonlyArray<string>): TrackedFile[] {
    return keys.flatMap((key) => {
      const row = this.byKey.get(key) as FileRow | undefined;
      return row ? [toTrackedFile(row)] : [];
    });
  }

  outsideFolders(walkedFolderKeys: ReadonlySet<string>, downloadedSeen: number): TrackedFile[] {
    // The usual case, counted rather than compared: every downloaded file is in a folder on disk.
    if (this.downloadedCount.get() === downloadedSeen) return [];
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS walked_folders (folder_key TEXT PRIMARY KEY) WITHOUT ROWID');
    this.db.exec('DELETE FROM temp.walked_folders');
    const insert = this.db.prepare('INSERT OR IGNORE INTO temp.walked_folders (folder_key) VALUES (?)');
    this.db.transaction(() => {
      for (const key of walkedFolderKeys) insert.run(key);
    })();
    const rows = this.db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE state = 'downloaded'
      AND rtrim(path_key, replace(path_key, '/', '')) NOT IN (SELECT folder_key FROM temp.walked_folders)`).all() as FileRow[];
    this.db.exec('DROP TABLE temp.walked_folders');
    return rows.map(toTrackedFile);
  }
}

/**
 * The key ranges [start, end) of the sub-folders' files, in SQLite's order (bytes of UTF-8, which is
 * code point order, not JavaScript's UTF-16 order), without repeats (names that differ only in case).
 */
function subFolderRanges(folderKey: string, subFolderKeys: ReadonlyArray<string>): Array<[string, string]> {
  const starts = [...new Set(subFolderKeys)].map((key) => `${folderKey}${key}/`);
  starts.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return starts.map((start) => [start, `${start.slice(0, -1)}0`]);
}

/** The same from a list in memory (tests, and callers that already hold the files). */
export class ListedTrackedByFolder implements TrackedByFolder {
  private readonly byFolder = new Map<string, TrackedFile[]>();
  private readonly byKey = new Map<string, TrackedFile>();

  constructor(files: ReadonlyArray<TrackedFile>) {
    for (const f of files) {
      const key = folderKeyOf(f.relPath);
      this.byKey.set(pathKey(f.relPath), f);
      const list = this.byFolder.get(key);
      if (list) list.push(f);
      else this.byFolder.set(key, [f]);
    }
  }

  keysInFolder(folderKey: string): TrackedKey[] {
    return (this.byFolder.get(folderKey) ?? []).map((f) => [f.relPath.slice(f.relPath.lastIndexOf('/') + 1), pathKey(f.relPath), f.state === 'downloaded' ? 1 : 0]);
  }

  filesAt(keys: ReadonlyArray<string>): TrackedFile[] {
    return keys.flatMap((key) => this.byKey.get(key) ?? []);
  }

  outsideFolders(walkedFolderKeys: ReadonlySet<string>): TrackedFile[] {
    return [...this.byFolder].filter(([key]) => !walkedFolderKeys.has(key)).flatMap(([, files]) => files.filter((f) => f.state === 'downloaded'));
  }
}
