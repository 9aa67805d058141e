import type Database from 'better-sqlite3';
import { compareKeys, pathKey } from './file-rows.js';
import { SqlKnownFiles } from './known-files.js';
import type { TrackedFile } from './tracker-types.js';

/**
 * The tracked files the local scan compares the folder with: their path keys in the order of the
 * tracker's path_key index, read a chunk at a time, so a scan never holds every tracked file (about
 * 128 MB of heap at 300,000 files) and reads them in one pass over the index.
 */
export interface TrackedKeys {
  /** Up to `count` keys of tracked files (any state) that sort after `afterKey` (null: from the first), in compareKeys order. */
  keysAfter(afterKey: string | null, count: number): string[];
  /** The keys of the tracked files that are not downloaded (deleted locally): usually few. */
  notDownloadedKeys(): Set<string>;
  /** The whole rows of some tracked files, by key (the few the scan did not find). */
  filesAt(keys: ReadonlyArray<string>): TrackedFile[];
}

/** Keys read from the index per query: large enough that queries cost little, small enough to hold. */
const KEYS_PER_READ = 2000;

/**
 * Every tracked key once, in order. Each chunk is its own query (from the last key read on), so no
 * statement stays open while the scan waits for the disk.
 */
export class TrackedKeyCursor {
  private chunk: string[] = [];
  private next = 0;
  private last: string | null = null;
  private ended = false;

  constructor(private readonly source: TrackedKeys) {}

  /** The next key, without taking it; undefined after the last one. */
  peek(): string | undefined {
    if (this.next === this.chunk.length && !this.ended) {
      this.chunk = this.source.keysAfter(this.last, KEYS_PER_READ);
      this.next = 0;
      this.ended = this.chunk.length < KEYS_PER_READ;
      this.last = this.chunk[this.chunk.length - 1] ?? this.last;
    }
    return this.chunk[this.next];
  }

  take(): string | undefined {
    const key = this.peek();
    this.next++;
    return key;
  }
}

/** The tracker's keys, read from the unique path_key index alone (a covering index: no row is read). */
export class SqlTrackedKeys implements TrackedKeys {
  private readonly first: Database.Statement;
  private readonly after: Database.Statement;
  private readonly notDownloaded: Database.Statement;
  private readonly rows: SqlKnownFiles;

  constructor(db: Database.Database) {
    this.first = db.prepare(`SELECT path_key FROM files ORDER BY path_key LIMIT ?`).pluck();
    this.after = db.prepare(`SELECT path_key FROM files WHERE path_key > ? ORDER BY path_key LIMIT ?`).pluck();
    this.notDownloaded = db.prepare(`SELECT path_key FROM files WHERE state != 'downloaded'`).pluck();
    this.rows = new SqlKnownFiles(db);
  }

  keysAfter(afterKey: string | null, count: number): string[] {
    return (afterKey === null ? this.first.all(count) : this.after.all(afterKey, count)) as string[];
  }

  notDownloadedKeys(): Set<string> {
    return new Set(this.notDownloaded.all() as string[]);
  }

  filesAt(keys: ReadonlyArray<string>): TrackedFile[] {
    return keys.flatMap((key) => this.rows.atPathKey(key) ?? []);
  }
}

/** The same from a list in memory (tests, and callers that already hold the files). */
export class ListedTrackedKeys implements TrackedKeys {
  private readonly byKey = new Map<string, TrackedFile>();
  private readonly sorted: string[];

  constructor(files: ReadonlyArray<TrackedFile>) {
    for (const f of files) this.byKey.set(pathKey(f.relPath), f);
    this.sorted = [...this.byKey.keys()].sort(compareKeys);
  }

  keysAfter(afterKey: string | null, count: number): string[] {
    const from = afterKey === null ? 0 : this.sorted.findIndex((key) => compareKeys(key, afterKey) > 0);
    return from < 0 ? [] : this.sorted.slice(from, from + count);
  }

  notDownloadedKeys(): Set<string> {
    return new Set([...this.byKey].filter(([, f]) => f.state !== 'downloaded').map(([key]) => key));
  }

  filesAt(keys: ReadonlyArray<string>): TrackedFile[] {
    return keys.flatMap((key) => this.byKey.get(key) ?? []);
  }
}
