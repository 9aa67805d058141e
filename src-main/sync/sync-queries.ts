import { existsSync } from 'node:fs';
import { Tracker } from '../tracker/tracker.js';
import { TEMPLATE_SETTING } from './setting-keys.js';
import type { AssetErrorRecord, RunRecord, TrackedFile, TrackerCounts } from '../tracker/tracker-types.js';

/** What `status` shows: the tracker read in place, never written (and readable during a run). */
export interface SyncStatus {
  counts: TrackerCounts;
  lastRuns: RunRecord[];
  pendingErrors: AssetErrorRecord[];
  /**
   * What the user may have to look at, one list with a reason each: records iCloud refuses for good
   * (issue 8, skipped until they change) and files that failed on NEEDS_ATTENTION_ATTEMPTS runs or
   * more (issue 10, still retried now and then).
   */
  needsAttention: AttentionEntry[];
  layoutTemplate: string | null;
}

/** One item that may need the user: `assetId` is the record name for a refused record. */
export interface AttentionEntry {
  kind: 'refused-by-icloud' | 'keeps-failing';
  assetId: string;
  /** The file's version; `record` for a refused record (the whole item, not one file of it). */
  version: string;
  attempts: number;
  lastAt: number;
  /** Why, in plain words. */
  message: string;
  /** Apple's zone and code, for a refused record. */
  zoneName?: string;
  code?: string;
}

/** A record iCloud refuses for good (e.g. a revoked shared photo): only Apple's code is shown. */
export function refusedRecordEntry(problem: ReturnType<Tracker['needsAttention']>[number]): AttentionEntry {
  return {
    kind: 'refused-by-icloud', assetId: problem.recordName, version: 'record', attempts: 1, lastAt: problem.noticedAt,
    message: `iCloud refuses to hand out this item (${problem.code}); it is skipped until it changes in iCloud.`,
    zoneName: problem.zoneName, code: problem.code,
  };
}

/** A file that failed on its own (the tracker's retry queue); the message is the last failure's. */
export function failingFileEntry(error: AssetErrorRecord): AttentionEntry {
  return { kind: 'keeps-failing', assetId: error.assetId, version: error.version, attempts: error.attempts, lastAt: error.lastAt, message: error.message };
}

/** Tries after which a failing file is shown as needing attention (it is still retried). */
export const NEEDS_ATTENTION_ATTEMPTS = 3;

export function readSyncStatus(databasePath: string, runLimit = 10): SyncStatus {
  const tracker = Tracker.openReadOnly(databasePath);
  try {
    return syncStatusOf(tracker, runLimit);
  } finally {
    tracker.close();
  }
}

/** The same from a tracker the caller opened (`status` reads the archive's state from it too). */
export function syncStatusOf(tracker: Tracker, runLimit = 10): SyncStatus {
  return {
    counts: tracker.counts(),
    lastRuns: tracker.runs.lastRuns(runLimit),
    pendingErrors: tracker.runs.assetErrors(),
    needsAttention: [
      ...tracker.needsAttention().map(refusedRecordEntry),
      ...tracker.runs.needingAttention(NEEDS_ATTENTION_ATTEMPTS).map(failingFileEntry),
    ],
    layoutTemplate: tracker.setting(TEMPLATE_SETTING),
  };
}

/** "Retry": every failing file is tried in the next run, also those still backing off. Returns how many waited. */
export function makeRetriesDueNow(databasePath: string): number {
  if (!existsSync(databasePath)) return 0;
  const tracker = Tracker.open(databasePath);
  try {
    return tracker.runs.makeAllRetriesDue();
  } finally {
    tracker.close();
  }
}

/** Files the user deleted from the folder, newest first; they are never downloaded again. */
export function listDeletedFiles(databasePath: string): TrackedFile[] {
  const tracker = Tracker.openSnapshot(databasePath);
  try {
    return tracker.deletedFiles();
  } finally {
    tracker.close();
  }
}

/**
 * Un-marks deleted files matching `relPathOrAssetId` (a path as listed, or an asset id for all its
 * files) so the next run downloads them again. Returns the restored entries (empty when none matched).
 */
export function restoreDeletedFile(databasePath: string, relPathOrAssetId: string): TrackedFile[] {
  return restoreDeletedFiles(databasePath, [relPathOrAssetId]);
}

/** Un-marks every deleted file a path or asset id names, with one open of the tracker (`restore --all`). */
export function restoreDeletedFiles(databasePath: string, relPathsOrAssetIds: readonly string[]): TrackedFile[] {
  if (!existsSync(databasePath)) return [];
  const tracker = Tracker.open(databasePath);
  try {
    const wanted = new Set(relPathsOrAssetIds.map((name) => name.normalize('NFC')));
    const matches = tracker.deletedFiles().filter((f) => wanted.has(f.relPath) || wanted.has(f.assetId));
    return matches.filter((f) => tracker.restoreDeleted(f.assetId, f.version));
  } finally {
    tracker.close();
  }
}
