import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Tracker } from '../../src-main/tracker/tracker.js';

let dbPath: string;
let tracker: Tracker;
beforeEach(() => {
  dbPath = join(mkdtempSync(join(tmpdir(), 'tracker-store-')), 'sync.db');
  tracker = Tracker.open(dbPath);
});
afterEach(() => tracker.close());

const file = (n: number) => ({
  assetId: `a${n}`,
  version: 'original' as const,
  relPath: `2024/01/0${n}/IMG_${n}.JPG`,
  size: 100 + n,
  sha256: String(n).repeat(64).slice(0, 64),
  mtimeMs: 1_700_000_000_000,
  fileChecksum: `ck${n}`,
  recordedAt: 1,
});
const asset = (n: number, changeTag = 't1') => ({
  id: `a${n}`, library: 'personal' as const, filename: `IMG_${n}.JPG`, assetDate: n, addedDate: n, changeTag,
});

/** Total rows changed on the raw file since it was opened, read through a second connection. */
function totalRows(): number {
  const raw = new Database(dbPath, { readonly: true });
  const n = ['assets', 'files', 'sync_tokens', 'settings', 'asset_errors']
    .map((t) => raw.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number)
    .reduce((a, b) => a + b, 0);
  raw.close();
  return n;
}

describe('tracker store', () => {
  it('records files, marks them deleted locally, lists and restores them', () => {
    tracker.recordFiles([file(1), file(2)]);
    tracker.markDeletedLocally([{ assetId: 'a1', version: 'original' }], 42);
    expect(tracker.counts()).toMatchObject({ downloaded: 1, deletedLocally: 1 });
    expect(tracker.deletedFiles()).toEqual([expect.objectContaining({ assetId: 'a1', noticedAt: 42, state: 'deleted-locally' })]);
    expect(tracker.restoreDeleted('a2', 'original')).toBe(false);
    expect(tracker.restoreDeleted('a1', 'original')).toBe(true);
    expect(tracker.deletedFiles()).toEqual([]);
    expect(tracker.allFiles().map((f) => f.assetId)).toEqual(['a2']);
  });

  it('refuses two files whose paths differ only in case or Unicode form', () => {
    tracker.recordFiles([{ ...file(1), relPath: 'x/J\u00f6rg.jpg' }]);
    expect(() => tracker.recordFiles([{ ...file(2), relPath: 'X/JO\u0308RG.JPG' }])).toThrow(/UNIQUE/);
  });

  it('writes nothing when assets, tokens and settings are unchanged', () => {
    tracker.recordAssets([asset(1), asset(2)], 5);
    tracker.saveSyncTokens([{ zoneName: 'PrimarySync', library: 'personal', token: 'T1' }], 5, 0);
    tracker.setSetting('template', '{name}');
    const before = totalRows();
    tracker.recordAssets([asset(2), asset(1)], 6);
    tracker.saveSyncTokens([{ zoneName: 'PrimarySync', library: 'personal', token: 'T1' }], 6, 0);
    tracker.setSetting('template', '{name}');
    expect(totalRows()).toBe(before);
    // The real proof: data_version of another connection does not move when nothing is written.
    const watcher = new Database(dbPath, { readonly: true });
    const version = watcher.pragma('data_version', { simple: true });
    tracker.recordAssets([asset(1), asset(2)], 7);
    expect(watcher.pragma('data_version', { simple: true })).toBe(version);
    tracker.recordAssets([asset(1, 't2')], 7);
    expect(watcher.pragma('data_version', { simple: true })).not.toBe(version);
    watcher.close();
  });

  it('keeps the database positions with the zone tokens, unchanged ones unwritten, and drops them together', () => {
    const zone = [{ zoneName: 'PrimarySync', library: 'personal' as const, token: 'T1' }];
    const positions = [{ database: 'private' as const, token: 'D1' }, { database: 'shared' as const, token: 'D2' }];
    tracker.saveSyncTokens(zone, 5, 0, positions);
    expect(tracker.databaseTokens()).toEqual(positions);
    const watcher = new Database(dbPath, { readonly: true });
    const version = watcher.pragma('data_version', { simple: true });
    tracker.saveSyncTokens(zone, 6, 0, positions);
    expect(watcher.pragma('data_version', { simple: true })).toBe(version);
    watcher.close();
    // A newer position alone (the zone tokens unchanged) is stored.
    tracker.saveSyncTokens(zone, 7, 0, [{ database: 'private', token: 'D3' }]);
    expect(tracker.databaseTokens()).toEqual([{ database: 'private', token: 'D3' }]);
    // Dropping the position (as restore does) drops both: the next run lists everything.
    tracker.clearSyncTokens();
    expect([tracker.syncTokens(), tracker.databaseTokens()]).toEqual([[], []]);
    tracker.setSetting('database-sync-tokens', 'not json');
    expect(tracker.databaseTokens()).toEqual([]);
  });

  it('keeps run records and per-asset errors', () => {
    const id = tracker.runs.startRun(10);
    tracker.runs.recordAssetError('a1', 'original', 'reset', id, 11);
    tracker.runs.recordAssetError('a1', 'original', 'reset again', id, 12);
    tracker.runs.finishRun(id, {
      endedAt: 20, outcome: 'partial', listing: 'full', downloaded: 3, adopted: 0, moved: 0, skipped: 1,
      deletedNoticed: 0, failed: 1, bytes: 300,
    });
    expect(tracker.runs.lastRuns(1)[0]).toMatchObject({ id, outcome: 'partial', downloaded: 3, failed: 1, bytes: 300, endedAt: 20 });
    expect(tracker.runs.assetErrors()).toEqual([expect.objectContaining({ assetId: 'a1', attempts: 2, message: 'reset again' })]);
    tracker.runs.clearAssetError('a1', 'original');
    expect(tracker.counts().pendingErrors).toBe(0);
  });
});

describe('reading together (the planner)', () => {
  it('sees one consistent tracker: a write by another connection meanwhile is not half-seen', () => {
    tracker.recordFiles([file(1)]);
    const other = Tracker.open(dbPath);
    try {
      const seen = tracker.readTogether(() => {
        const known = tracker.knownFiles();
        const before = known.get('a1', 'original')?.size;
        other.recordFiles([{ ...file(1), size: 999 }, file(2)]);
        return { before, after: known.get('a1', 'original')?.size, second: known.get('a2', 'original') };
      });
      expect(seen).toEqual({ before: 101, after: 101, second: undefined });
      // Outside, the other connection's write is there.
      expect(tracker.knownFiles().get('a1', 'original')?.size).toBe(999);
    } finally {
      other.close();
    }
  });
});
