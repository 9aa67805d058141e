import { mkdtempSync, openSync, closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { CHECKED_AT_SETTING, FULL_CHECK_EVERY_MS } from '../../src-main/tracker/open-database.js';
import { Tracker } from '../../src-main/tracker/tracker.js';
import { TrackerError } from '../../src-main/tracker/tracker-error.js';

// The whole-database check (quick_check) runs at open only when it is due: a day after the last
// one, or after a run that did not end or failed. The damage used here is one only that check sees:
// the page of an index no open-time query reads (files_by_size), overwritten with garbage.
let dbPath: string;
beforeEach(() => {
  dbPath = join(mkdtempSync(join(tmpdir(), 'tracker-integrity-')), 'sync.db');
  const tracker = Tracker.open(dbPath);
  tracker.recordFiles(
    Array.from({ length: 50 }, (_, i) => ({
      assetId: `a${i}`, version: 'original' as const, relPath: `2024/01/01/f${i}.jpg`, size: 1000 + i, sha256: 'x', mtimeMs: 0, fileChecksum: 'c', recordedAt: 0,
    })),
  );
  tracker.close();
});

/** Runs SQL on the closed database as another program would, and checkpoints it into the main file. */
function raw(sql: string, ...params: unknown[]): void {
  const db = new Database(dbPath);
  db.prepare(sql).run(...params);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function damageSizeIndex(): void {
  const db = new Database(dbPath, { readonly: true });
  const page = db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'files_by_size'`).pluck().get() as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(dbPath, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

function checkedAt(): number {
  const db = new Database(dbPath, { readonly: true });
  const value = db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(CHECKED_AT_SETTING);
  db.close();
  return Number(value);
}

function openError(open: () => Tracker): unknown {
  try {
    open().close();
  } catch (error) {
    return error;
  }
  return null;
}

describe('the whole-database check at open', () => {
  it('runs on a new database and records when', () => {
    expect(Date.now() - checkedAt()).toBeGreaterThanOrEqual(0);
    expect(Date.now() - checkedAt()).toBeLessThan(60_000);
  });

  it('is skipped within a day of the last one, so damage only it sees waits for the next due check', () => {
    damageSizeIndex();
    expect(openError(() => Tracker.open(dbPath))).toBeNull();
  });

  it('a day after the last check, finds the damage: DATABASE_CORRUPT and the file moved aside', () => {
    raw(`UPDATE settings SET value = ? WHERE key = ?`, String(Date.now() - FULL_CHECK_EVERY_MS - 1000), CHECKED_AT_SETTING);
    damageSizeIndex();
    const error = openError(() => Tracker.open(dbPath));
    expect(error).toBeInstanceOf(TrackerError);
    expect(error).toMatchObject({ code: 'DATABASE_CORRUPT', backupPath: expect.stringContaining('.corrupt-') });
  });

  it.each(['running', 'failed'])('after a run that ended %s, finds the damage at once', (outcome) => {
    raw(`INSERT INTO runs (started_at, outcome) VALUES (?, ?)`, Date.now(), outcome);
    damageSizeIndex();
    expect(openError(() => Tracker.open(dbPath))).toMatchObject({ code: 'DATABASE_CORRUPT' });
  });

  it('a time of the last check in the future (a clock set back) makes the check due', () => {
    raw(`UPDATE settings SET value = ? WHERE key = ?`, String(Date.now() + 60_000), CHECKED_AT_SETTING);
    damageSizeIndex();
    expect(openError(() => Tracker.open(dbPath))).toMatchObject({ code: 'DATABASE_CORRUPT' });
  });

  it('reading only (status): a due check runs too, without recording it', () => {
    const old = String(Date.now() - FULL_CHECK_EVERY_MS - 1000);
    raw(`UPDATE settings SET value = ? WHERE key = ?`, old, CHECKED_AT_SETTING);
    expect(openError(() => Tracker.openReadOnly(dbPath))).toBeNull();
    expect(checkedAt()).toBe(Number(old));
    damageSizeIndex();
    expect(openError(() => Tracker.openReadOnly(dbPath))).toMatchObject({ code: 'DATABASE_CORRUPT' });
  });
});
