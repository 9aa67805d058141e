import { mkdtempSync, openSync, closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { Tracker } from '../../src-main/tracker/tracker.js';
import { TrackerError } from '../../src-main/tracker/tracker-error.js';

// Every open runs the whole-database check (quick_check; src-main/sync/README.md, "Tracker
// integrity"). The damage used here is one only that check sees: the page of an index no
// open-time query reads (files_by_size), overwritten with garbage.
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

function damageSizeIndex(): void {
  const db = new Database(dbPath, { readonly: true });
  const page = db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'files_by_size'`).pluck().get() as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(dbPath, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

function openError(open: () => Tracker): unknown {
  try {
    open().close();
  } catch (error) {
    return error;
  }
  return null;
}

describe('the whole-database check at every open', () => {
  it('finds damage only it sees when a run opens the tracker: DATABASE_CORRUPT and the file moved aside', () => {
    damageSizeIndex();
    const error = openError(() => Tracker.open(dbPath));
    expect(error).toBeInstanceOf(TrackerError);
    expect(error).toMatchObject({ code: 'DATABASE_CORRUPT', backupPath: expect.stringContaining('.corrupt-') });
  });

  it('finds it when only reading (status) too', () => {
    expect(openError(() => Tracker.openReadOnly(dbPath))).toBeNull();
    damageSizeIndex();
    expect(openError(() => Tracker.openReadOnly(dbPath))).toMatchObject({ code: 'DATABASE_CORRUPT' });
  });
});
