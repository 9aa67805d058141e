import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src-main/tracker/migrations.js';
import { Tracker } from '../../src-main/tracker/tracker.js';
import { TrackerError } from '../../src-main/tracker/tracker-error.js';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracker-open-'));
  dbPath = join(dir, 'account', 'sync.db');
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('opening the tracker database', () => {
  it('creates a WAL database at the current schema version and reopens it unchanged', () => {
    Tracker.open(dbPath).close();
    const raw = new Database(dbPath);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['assets', 'files', 'sync_tokens', 'runs', 'asset_errors', 'settings']));
    raw.close();
    const again = Tracker.open(dbPath);
    expect(again.counts().downloaded).toBe(0);
    again.close();
  });

  it('moves a garbage file aside as a backup and reports DATABASE_CORRUPT; the next open starts fresh', () => {
    Tracker.open(dbPath).close();
    const garbage = Buffer.from('this is not a database at all '.repeat(200));
    writeFileSync(dbPath, garbage);
    const error = catchError(() => Tracker.open(dbPath));
    expect(error).toBeInstanceOf(TrackerError);
    expect((error as TrackerError).code).toBe('DATABASE_CORRUPT');
    const backup = (error as TrackerError).backupPath;
    expect(backup && readFileSync(backup).equals(garbage)).toBe(true);
    expect(readdirSync(join(dir, 'account')).some((name) => name.includes('.corrupt-'))).toBe(true);

    const fresh = Tracker.open(dbPath);
    expect(fresh.counts().downloaded).toBe(0);
    fresh.close();
  });

  it('refuses a database from a newer version without changing a byte', () => {
    Tracker.open(dbPath).close();
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = readFileSync(dbPath);
    const error = catchError(() => Tracker.open(dbPath));
    expect((error as TrackerError).code).toBe('DATABASE_TOO_NEW');
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it('a snapshot can be written to without touching the file on disk', () => {
    const tracker = Tracker.open(dbPath);
    tracker.setSetting('template', '{yyyy}/{name}');
    tracker.close();
    const before = readFileSync(dbPath);
    const filesBefore = readdirSync(join(dir, 'account')).sort();
    const snapshot = Tracker.openSnapshot(dbPath);
    expect(snapshot.setting('template')).toBe('{yyyy}/{name}');
    snapshot.setSetting('template', '{name}');
    snapshot.runs.startRun(1);
    snapshot.close();
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'account')).sort()).toEqual(filesBefore);
    expect(Tracker.open(dbPath).setting('template')).toBe('{yyyy}/{name}');
  });

  it('a snapshot of a database that does not exist is empty and creates no file', () => {
    const snapshot = Tracker.openSnapshot(dbPath);
    expect(snapshot.counts().downloaded).toBe(0);
    snapshot.close();
    expect(existsSync(join(dir, 'account'))).toBe(false);
  });

  it('a read-only open reads the file in place, refuses writes and leaves the folder as it found it', () => {
    const tracker = Tracker.open(dbPath);
    tracker.setSetting('template', '{yyyy}/{name}');
    tracker.close();
    const before = readFileSync(dbPath);
    const filesBefore = readdirSync(join(dir, 'account')).sort();
    expect(filesBefore).toEqual(['sync.db']);

    const readOnly = Tracker.openReadOnly(dbPath);
    expect(readOnly.setting('template')).toBe('{yyyy}/{name}');
    expect(() => readOnly.setSetting('template', '{name}')).toThrow();
    readOnly.close();

    expect(readdirSync(join(dir, 'account')).sort()).toEqual(filesBefore);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
  });

  it('a read-only open while a run holds the tracker sees its committed rows and leaves its -wal/-shm in place', () => {
    const running = Tracker.open(dbPath);
    running.setSetting('template', '{name}');
    const filesDuringRun = readdirSync(join(dir, 'account')).sort();
    expect(filesDuringRun).toEqual(['sync.db', 'sync.db-shm', 'sync.db-wal']);

    const readOnly = Tracker.openReadOnly(dbPath);
    expect(readOnly.setting('template')).toBe('{name}');
    expect(() => readOnly.setSetting('template', '{yyyy}/{name}')).toThrow();
    readOnly.close();

    expect(readdirSync(join(dir, 'account')).sort()).toEqual(filesDuringRun);
    running.setSetting('template', '{yyyy}/{name}');
    running.close();
    expect(Tracker.openReadOnly(dbPath).setting('template')).toBe('{yyyy}/{name}');
  });

  it('a read-only open of an older database reads it migrated in memory and leaves the file at its version', () => {
    mkdirSync(join(dir, 'account'));
    const raw = new Database(dbPath);
    raw.pragma('journal_mode = WAL');
    for (const sql of MIGRATIONS.slice(0, SCHEMA_VERSION - 1)) raw.exec(sql);
    raw.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    raw.close();
    const before = readFileSync(dbPath);

    const readOnly = Tracker.openReadOnly(dbPath);
    expect(readOnly.counts().downloaded).toBe(0);
    readOnly.close();

    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'account'))).toEqual(['sync.db']);
  });

  it('a read-only open refuses a database from a newer version, and reads a missing one as empty without creating it', () => {
    Tracker.open(dbPath).close();
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    expect((catchError(() => Tracker.openReadOnly(dbPath)) as TrackerError).code).toBe('DATABASE_TOO_NEW');
    expect(readdirSync(join(dir, 'account'))).toEqual(['sync.db']);

    const missing = join(dir, 'other', 'sync.db');
    expect(Tracker.openReadOnly(missing).counts().downloaded).toBe(0);
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });
});
