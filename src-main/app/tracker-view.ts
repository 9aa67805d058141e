/**
 * What the snapshot shows from the account's tracker: counts, recent runs, items that need
 * attention. Read from a snapshot copy, so it never writes and works while a run holds the lock.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { ERROR_CATALOGUE, type ErrorCode } from '../../src-shared/errors.js';
import type { AppSnapshot, ArchiveRunView, AttentionItem, RunView } from '../../src-shared/snapshot.js';
import type { ArchiveRunRecord } from '../tracker/archive-store.js';
import { isVideoExtension } from '../icloud/photos/uti-extensions.js';
import { Tracker } from '../tracker/tracker.js';
import { failingFileEntry, refusedRecordEntry } from '../sync/sync-queries.js';
import type { RunRecord } from '../tracker/tracker-types.js';

const RECENT_RUNS = 10;

export interface TrackerView {
  counts: AppSnapshot['counts'];
  recentRuns: RunView[];
  lastSuccessAt: number | null;
  attention: AttentionItem[];
  lastArchiveRun: ArchiveRunView | null;
}

export const EMPTY_TRACKER_VIEW: TrackerView = {
  counts: { photos: 0, videos: 0, deletedLocally: 0, bytesOnDisk: 0 },
  recentRuns: [],
  lastSuccessAt: null,
  attention: [],
  lastArchiveRun: null,
};

export function readTrackerView(databasePath: string): TrackerView {
  if (!existsSync(databasePath)) return EMPTY_TRACKER_VIEW;
  const tracker = Tracker.openSnapshot(databasePath);
  try {
    let photos = 0;
    let videos = 0;
    for (const file of tracker.allFiles()) {
      // One per item: its original; Live Photo videos and edits are parts of a photo.
      if (file.state !== 'downloaded' || file.version !== 'original') continue;
      if (isVideoExtension(extname(file.relPath).slice(1))) videos++;
      else photos++;
    }
    const counts = tracker.counts();
    const runs = tracker.runs.lastRuns(100);
    const lastSuccess = runs.find((run) => run.outcome === 'success' && run.endedAt !== null);
    return {
      counts: { photos, videos, deletedLocally: counts.deletedLocally, bytesOnDisk: counts.bytesOnDisk },
      recentRuns: runs.map(toRunView).filter((run): run is RunView => run !== null).slice(0, RECENT_RUNS),
      lastSuccessAt: lastSuccess?.endedAt ?? null,
      // Every failing file (with Retry), not only those past NEEDS_ATTENTION_ATTEMPTS, and the refused records.
      attention: [...tracker.runs.assetErrors().map(failingFileEntry), ...tracker.needsAttention().map(refusedRecordEntry)].map(
        ({ kind, assetId, version, message, attempts, lastAt }) => ({
          assetId, version, attempts, lastAt: new Date(lastAt).toISOString(),
          // Retry makes failing files due now; a refusal stays until the item changes in iCloud.
          message: kind === 'refused-by-icloud' ? `${message} Retry does not change that.` : message,
        }),
      ),
      lastArchiveRun: toArchiveRunView(tracker.archive.lastRuns(1)[0]),
    };
  } finally {
    tracker.close();
  }
}

/** A finished run for views; null for one still going (or cut off by a crash). */
export function toRunView(run: RunRecord): RunView | null {
  if (run.outcome === 'running' || run.endedAt === null) return null;
  const errorCode = run.errorCode && Object.hasOwn(ERROR_CATALOGUE, run.errorCode) ? (run.errorCode as ErrorCode) : null;
  return {
    id: run.id, startedAt: new Date(run.startedAt).toISOString(), finishedAt: new Date(run.endedAt).toISOString(), outcome: run.outcome,
    downloaded: run.downloaded, failed: run.failed, bytes: run.bytes, deletedNoticed: run.deletedNoticed, errorCode,
  };
}

/** The last finished archive run for views. */
export function toArchiveRunView(run: ArchiveRunRecord | undefined): ArchiveRunView | null {
  if (!run || run.outcome === 'running') return null;
  const errorCode = run.errorCode && Object.hasOwn(ERROR_CATALOGUE, run.errorCode) ? (run.errorCode as ErrorCode) : null;
  return {
    finishedAt: new Date(run.endedAt).toISOString(), outcome: run.outcome, uploaded: run.uploaded, bytes: run.bytes,
    removed: run.removed, failed: run.failed, errorCode, message: run.errorMessage,
  };
}
