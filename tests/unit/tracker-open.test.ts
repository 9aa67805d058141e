import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src-main/tracker/migrations.js';
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
});
