import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RECORD_BATCH_MAX_FILES } from '../src-main/sync/record-batch.js';
import { pathKey, Tracker } from '../src-main/tracker/tracker.js';
import type { NewTrackedFile } from '../src-main/tracker/tracker-types.js';
import { round, type BenchResult } from './measure.js';

const FILES = 100_000;
/** One commit per file is slow by nature (a WAL frame each): a fifth of the files keeps the bench short. */
const PER_FILE = 20_000;
/** The most files the executor's RecordBatch writes in one transaction. */
const RECORD_BATCH = RECORD_BATCH_MAX_FILES;
type NewFile = NewTrackedFile;

function sampleFiles(count: number): NewFile[] {
  return Array.from({ length: count }, (_, i) => ({
    assetId: `ASSET-${String(i).padStart(8, '0')}`,
    version: i % 7 === 0 ? 'live-video' : 'original',
    relPath: `${2003 + (i % 24)}/${String(1 + (i % 12)).padStart(2, '0')}/IMG_${i}.HEIC`,
    size: 100_000 + i,
    sha256: i.toString(16).padStart(64, '0'),
    mtimeMs: 1_600_000_000_000 + i * 1000,
    fileChecksum: `AQ${i.toString(36).padStart(26, 'x')}`,
    recordedAt: 1_700_000_000_000,
  }));
}

function seconds(work: () => void): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Raw better-sqlite3: the tracker's schema and pragmas, one prepared INSERT, one transaction. */
function rawInserts(path: string, files: readonly NewFile[]): number {
  Tracker.open(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(`INSERT INTO files (asset_id, version, rel_path, path_key, size, sha256, mtime_ms, file_checksum, state, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'downloaded', ?)`);
  try {
    return seconds(() =>
      db.transaction(() => {
        for (const f of files) insert.run(f.assetId, f.version, f.relPath, pathKey(f.relPath), f.size, f.sha256, f.mtimeMs, f.fileChecksum, f.recordedAt);
      })(),
    );
  } finally {
    db.close();
  }
}

function throughTracker(path: string, expected: number, record: (tracker: Tracker) => void): number {
  const tracker = Tracker.open(path);
  try {
    const elapsed = seconds(() => record(tracker));
    if (tracker.counts().downloaded !== expected) throw new Error('the tracker did not record every file');
    return elapsed;
  } finally {
    tracker.close();
  }
}

/**
 * Recording 100,000 downloaded files: Tracker.recordFinished in batches as large as the executor's
 * does, Tracker.recordFiles in one batch, and one call per file (as the executor did, on fewer files), against raw prepared INSERTs in one transaction. Fresh databases;
 * batch and raw best of two.
 */
export function trackerBench(): BenchResult {
  const folder = mkdtempSync(join(tmpdir(), 'bench-tracker-'));
  const files = sampleFiles(FILES);
  const best = { raw: Infinity, batch: Infinity, perFile: Infinity, finished: Infinity };
  try {
    for (let round = 0; round < 2; round++) {
      const db = (name: string) => join(folder, `${name}-${round}.db`);
      best.raw = Math.min(best.raw, rawInserts(db('raw'), files));
      best.batch = Math.min(best.batch, throughTracker(db('batch'), FILES, (t) => t.recordFiles(files)));
      // As a sync records them: recordFinished (row + end of the retry entry) in batches of RECORD_BATCH.
      best.finished = Math.min(best.finished, throughTracker(db('finished'), FILES, (t) => {
        for (let at = 0; at < FILES; at += RECORD_BATCH) t.recordFinished(files.slice(at, at + RECORD_BATCH).map((file) => ({ file })));
      }));
    }
    const some = files.slice(0, PER_FILE);
    best.perFile = throughTracker(join(folder, 'per-file.db'), PER_FILE, (t) => some.forEach((f) => t.recordFiles([f])));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const rates = { raw: FILES / best.raw, batch: FILES / best.batch, perFile: PER_FILE / best.perFile, finished: FILES / best.finished };
  const finishedRatio = rates.finished / rates.raw;
  const batchRatio = rates.batch / rates.raw;
  const perFileRatio = rates.perFile / rates.raw;
  const k = (rate: number) => `${(rate / 1000).toFixed(1)}k rows/s`;
  return {
    bench: 'tracker',
    line: `tracker (${FILES / 1000}k files): recordFinished in batches of ${RECORD_BATCH} as a sync does ${k(rates.finished)} (ratio ${finishedRatio.toFixed(2)}), recordFiles batch ${k(rates.batch)} (ratio ${batchRatio.toFixed(2)}), one call per file (${PER_FILE / 1000}k) ${k(rates.perFile)} (ratio ${perFileRatio.toFixed(2)}), raw inserts ${k(rates.raw)}`,
    figures: [
      { name: 'tracker.finishedBatches', value: Math.round(rates.finished), unit: 'rows/s' },
      { name: 'tracker.finishedRatio', value: round(finishedRatio), unit: 'x' },
      { name: 'tracker.batch', value: Math.round(rates.batch), unit: 'rows/s' },
      { name: 'tracker.perFile', value: Math.round(rates.perFile), unit: 'rows/s' },
      { name: 'tracker.rawInserts', value: Math.round(rates.raw), unit: 'rows/s' },
      { name: 'tracker.batchRatio', value: round(batchRatio), unit: 'x' },
      { name: 'tracker.perFileRatio', value: round(perFileRatio), unit: 'x' },
    ],
  };
}
