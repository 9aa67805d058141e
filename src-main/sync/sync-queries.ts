import { existsSync } from 'node:fs';
import { Tracker } from '../tracker/tracker.js';
import { TEMPLATE_SETTING } from './setting-keys.js';
import type { AssetErrorRecord, RunRecord, TrackedFile, TrackerCounts } from '../tracker/tracker-types.js';

/** What `status` shows: read from a snapshot, so it never writes (and works during a run). */
export interface SyncStatus {
  counts: TrackerCounts;
  lastRuns: RunRecord[];
  pendingErrors: AssetErrorRecord[];
  /** Records iCloud refuses for good (e.g. a revoked shared photo): skipped until they change. */
  needsAttention: ReturnType<Tracker['needsAttention']>;
  layoutTemplate: string | null;
}

export function readSyncStatus(databasePath: string, runLimit = 10): SyncStatus {
  const tracker = Tracker.openSnapshot(databasePath);
  try {
    return {
      counts: tracker.counts(),
      lastRuns: tracker.runs.lastRuns(runLimit),
      pendingErrors: tracker.runs.assetErrors(),
      needsAttention: tracker.needsAttention(),
      layoutTemplate: tracker.setting(TEMPLATE_SETTING),
    };
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
  if (!existsSync(databasePath)) return [];
  const tracker = Tracker.open(databasePath);
  try {
    const wanted = relPathOrAssetId.normalize('NFC');
    const matches = tracker.deletedFiles().filter((f) => f.relPath === wanted || f.assetId === wanted);
    return matches.filter((f) => tracker.restoreDeleted(f.assetId, f.version));
  } finally {
    tracker.close();
  }
}
