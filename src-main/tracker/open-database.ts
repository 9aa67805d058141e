import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { openSqlite } from './sqlite.js';
import { TrackerError } from './tracker-error.js';

type Db = Database.Database;

const SIDE_FILES = ['', '-wal', '-shm'];

/**
 * SQLite's page cache per connection, in KiB as a negative cache_size (better-sqlite3's default is
 * 16 MB). A run reads the tracker by index, a folder or an asset at a time, and the operating
 * system caches the file anyway: 2 MB keeps quick_check and the scan from growing the process by
 * the size of the database (issue 11: memory at 300,000 files).
 */
export const PAGE_CACHE_KIB = -2000;

/**
 * Opens (creating if needed) the per-account database, runs pending migrations and returns it in
 * WAL mode. A damaged file is moved aside (kept as a backup) so the next run starts clean; a file
 * from a newer version is left untouched.
 */
export function openTrackerDatabase(path: string): Db {
  mkdirSync(dirname(path), { recursive: true });
  let db: Db | undefined;
  try {
    db = openSqlite(path);
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
    // Read the version before anything writes: a newer database must not change at all.
    assertNotTooNew(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    assertIntact(db);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof TrackerError) throw error;
    if (isCorruption(error)) throw new TrackerError('DATABASE_CORRUPT', moveAside(path), { cause: error });
    throw error;
  }
}

/**
 * An in-memory copy of the database for a dry run: it can be read and even written freely, and the
 * file on disk is only ever read. A missing database gives an empty, migrated one.
 */
export function openTrackerSnapshot(path: string): Db {
  if (!existsSync(path)) return migrate(openSqlite(':memory:'));
  let source: Db | undefined;
  try {
    // A cleanly closed WAL database is all in the main file: read its bytes without opening it,
    // because even a read-only connection leaves -wal/-shm files behind.
    const bytes = existsSync(`${path}-wal`)
      ? (source = openSqlite(path, { readonly: true, fileMustExist: true })).serialize()
      : readFileSync(path);
    // Header bytes 18-19 say "WAL" (2); an in-memory copy must read as a rollback-journal file (1).
    if (bytes.length > 19) bytes.fill(1, 18, 20);
    const copy = openSqlite(bytes);
    assertNotTooNew(copy);
    assertIntact(copy);
    return migrate(copy);
  } catch (error) {
    if (error instanceof TrackerError) throw error;
    if (isCorruption(error)) throw new TrackerError('DATABASE_CORRUPT', undefined, { cause: error });
    throw error;
  } finally {
    source?.close();
  }
}

/**
 * The database on disk for reading only (`status`): no in-memory copy of the whole file, and nothing
 * written. SQLite needs `-wal`/`-shm` files to read a WAL database. When a run left them there (or
 * is running), a read-only connection uses them as they are. When they are absent, a read-only
 * connection would create them and leave them behind (it may not checkpoint on close), so the
 * connection is opened read-write with `query_only`: as the last connection it checkpoints an empty
 * WAL (no page written) and removes both files on close. A database at an older schema version is
 * read through a snapshot, which migrates its copy in memory; a missing one reads as empty.
 */
export function openTrackerReadOnly(path: string): Db {
  if (!existsSync(path)) return openTrackerSnapshot(path);
  let db: Db | undefined;
  try {
    const runLeftWal = existsSync(`${path}-wal`);
    db = openSqlite(path, { readonly: runLeftWal, fileMustExist: true });
    db.pragma('query_only = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
    assertNotTooNew(db);
    if ((db.pragma('user_version', { simple: true }) as number) < SCHEMA_VERSION) {
      db.close();
      return openTrackerSnapshot(path);
    }
    assertIntact(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof TrackerError) throw error;
    if (isCorruption(error)) throw new TrackerError('DATABASE_CORRUPT', undefined, { cause: error });
    throw error;
  }
}

function assertNotTooNew(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw new TrackerError('DATABASE_TOO_NEW');
}

function assertIntact(db: Db): void {
  const result = db.pragma('quick_check', { simple: true });
  if (result !== 'ok') throw Object.assign(new Error(`quick_check: ${String(result)}`), { code: 'SQLITE_CORRUPT' });
}

function migrate(db: Db): Db {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let next = current + 1; next <= SCHEMA_VERSION; next++) {
    const sql = MIGRATIONS[next - 1] ?? '';
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${next}`);
    })();
  }
  return db;
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_CORRUPT_VTAB';
}

function moveAside(path: string): string {
  // e.g. "….db.corrupt-20261122-133000123": no capitals, so log redaction never mistakes it for a token.
  const stamp = new Date().toISOString().replace(/[-:.Z]/g, '').replace('T', '-');
  const backup = `${path}.corrupt-${stamp}`;
  for (const suffix of SIDE_FILES) {
    if (existsSync(path + suffix)) renameSync(path + suffix, backup + suffix);
  }
  return backup;
}
