import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ErrorCode } from '../../src-shared/errors.js';
import type { ICloudAsset } from '../icloud/photos/asset.js';
import type { PhotoSource } from '../icloud/photos/photo-source.js';
import { Tracker } from '../tracker/tracker.js';
import type { RunOutcome, SeenAsset } from '../tracker/tracker-types.js';
import { AssetStage } from './asset-stage.js';
import { executePlan } from './executor.js';
import { hasFolderMarker, MARKER_FILE, readFolderId } from './folder-marker.js';
import { listLibrary } from './library-listing.js';
import { FINGERPRINT_SETTING, POSITION_RUN_SETTING, TEMPLATE_SETTING } from './setting-keys.js';
import { looksLikeMassDeletion, massDeletionAdvice, scanLocalFolder } from './local-scan.js';
import { settleFolderIdentity } from './folder-identity.js';
import { planStaged, wantedBy } from './planner.js';
import { realFolder } from './real-folder.js';
import { acquireRunLock } from './run-lock.js';
import { errorCodeOf, errorMessageOf, retryAfterOf, SyncError } from './sync-error.js';
import type { SyncEventListener } from './sync-events.js';
import { listingFingerprint, parseSyncOptions, type SyncOptionsInput } from './sync-options.js';
import { StagedPlan } from './staged-plan.js';
import type { SyncSummary } from './sync-summary.js';
import type { PlanAction } from './plan-types.js';
import { removeLeftoverTempFiles } from './temp-files.js';

export interface SyncEngineConfig {
  source: PhotoSource;
  /** The sync folder; it must have been set up with setupSyncFolder(). */
  folder: string;
  /** This account's tracker database. The run lock sits beside it. */
  databasePath: string;
  /**
   * Makes the iCloud session ready (sign-in, session check), after the folder check: its errors
   * (NETWORK, AUTH_REQUIRED, THROTTLED, ...) end the run and are recorded like any other stop.
   */
  connect?: () => Promise<void>;
}

export interface RunSyncOptions extends SyncOptionsInput {
  /** Plan only: returns the plan and changes nothing (no file, no database row). */
  dryRun?: boolean;
  /**
   * The user confirms that this many files were deleted on purpose: lifts MASS_DELETION when
   * exactly this many vanished (a stale or guessed confirmation does not).
   */
  confirmDeletions?: number;
  onEvent?: SyncEventListener;
  signal?: AbortSignal;
}

/**
 * One run: lock, marker check, local scan, listing, plan, execute, run record. Stops that are part
 * of normal life (FOLDER_MISSING, MASS_DELETION, DISK_FULL, sign-in needed) come back as a summary
 * with an errorCode; ALREADY_RUNNING and database problems are thrown (no run can be recorded).
 */
export async function runSync(config: SyncEngineConfig, runOptions: RunSyncOptions = {}): Promise<SyncSummary> {
  const { dryRun = false, confirmDeletions, onEvent, signal, ...input } = runOptions;
  let options;
  try {
    options = parseSyncOptions(input);
  } catch (error) {
    throw new SyncError('CONFIG_INVALID', error instanceof Error ? error.message : String(error), { cause: error });
  }
  const emit: SyncEventListener = onEvent ?? (() => undefined);
  const folder = resolve(config.folder);
  let release = () => {};
  if (!dryRun) {
    mkdirSync(dirname(config.databasePath), { recursive: true });
    release = acquireRunLock(`${config.databasePath}.lock`);
  }
  try {
    const tracker = dryRun ? Tracker.openSnapshot(config.databasePath) : Tracker.open(config.databasePath);
    const startedAt = Date.now();
    const runId = tracker.runs.startRun(startedAt);
    // A `deleted restore` during this run resets the listing; the run must not save over it.
    const listingResets = tracker.listingResets();
    const summary: SyncSummary = {
      runId: dryRun ? null : runId, dryRun, outcome: 'success', errorCode: null, errorMessage: null, retryAfter: null, listing: null,
      counts: null, downloaded: 0, adopted: 0, moved: 0, bytes: 0, deletedNoticed: 0, movedByUser: 0, underLink: 0, vanished: 0, folderChange: 'same',
      failures: [], keptChanged: [], plan: null, startedAt, endedAt: startedAt,
    };
    const finish = (outcome: Exclude<RunOutcome, 'running'>): SyncSummary => {
      summary.outcome = outcome;
      summary.endedAt = Date.now();
      tracker.runs.finishRun(runId, {
        endedAt: summary.endedAt, outcome, listing: summary.listing, downloaded: summary.downloaded,
        adopted: summary.adopted, moved: summary.moved, skipped: (summary.counts?.alreadyHave ?? 0) + (summary.counts?.deletedLocally ?? 0),
        deletedNoticed: summary.deletedNoticed, failed: summary.failures.length, bytes: summary.bytes,
        errorCode: summary.errorCode, errorMessage: summary.errorMessage,
      });
      emit({ type: 'phase', phase: 'finishing' });
      emit({ type: 'finished', summary });
      return summary;
    };
    let stage: AssetStage | undefined;
    try {
      // Opened first, under the run lock: this also removes a stage a crashed run left behind.
      stage = AssetStage.open(dryRun ? undefined : config.databasePath);
      if (!hasFolderMarker(folder)) {
        summary.errorCode = 'FOLDER_MISSING';
        summary.errorMessage = `No ${MARKER_FILE} marker in ${folder}.`;
        return finish('folder-missing');
      }
      // The tracker's files are this folder's files: a new folder starts empty, a known one gets its own back.
      summary.folderChange = settleFolderIdentity(tracker, readFolderId(folder), folder);
      await config.connect?.();
      // The folder itself may be a link (e.g. to another disk); nothing under it may be (real-folder.ts).
      const root = await realFolder(folder);
      emit({ type: 'phase', phase: 'scanning' });
      const scan = await scanLocalFolder(root, tracker.filesByFolder());
      const trackedCount = scan.presentCount + scan.moved.length + scan.vanished.length + scan.underLink.length;
      if (confirmDeletions !== scan.vanished.length && looksLikeMassDeletion(scan.vanished.length, trackedCount, options)) {
        summary.errorCode = 'MASS_DELETION';
        summary.vanished = scan.vanished.length;
        summary.errorMessage = massDeletionAdvice(scan.vanished.length, trackedCount, folder, confirmDeletions);
        return finish('mass-deletion');
      }
      tracker.updatePaths(scan.moved.map((m) => ({ assetId: m.file.assetId, version: m.file.version, relPath: m.relPath })), true);
      tracker.markDeletedLocally(scan.vanished, Date.now());
      summary.movedByUser = scan.moved.length;
      summary.deletedNoticed = scan.vanished.length;
      summary.underLink = scan.underLink.length;

      emit({ type: 'phase', phase: 'listing' });
      // The listing goes to disk page by page; see README "Memory".
      const staging = stage;
      const listing = await listLibrary(config.source, tracker, options, runId, (page, albumsOf) => {
        staging.add(page, wantedBy(options, albumsOf));
        tracker.recordAssets(page.map(toSeenAsset), Date.now());
      });
      summary.listing = listing.mode;
      // Records iCloud refuses for good are kept for the user to see; they never block the run.
      if (!dryRun) tracker.noteNeedsAttention(listing.problems.needsAttention, listing.mode === 'full', Date.now());

      const previousTemplate = tracker.setting(TEMPLATE_SETTING);
      const context = {
        tracked: tracker.knownFiles(), untracked: scan.untracked, folders: scan.folders, options,
        templateChanged: previousTemplate !== null && previousTemplate !== options.template,
        ...(listing.albumsOf ? { albumsOf: listing.albumsOf } : {}),
      };
      // A dry run hands the whole plan back to show it; a real run keeps it in the stage.
      const shown: PlanAction[] = [];
      const staged = dryRun ? null : new StagedPlan(stage);
      const counts = tracker.readTogether(() => planStaged(staging, context, staged ? (a) => staged.add(a) : (a) => shown.push(a)));
      summary.counts = counts;
      emit({ type: 'phase', phase: 'planning', listing: listing.mode, counts, assets: stage.count() });
      if (!staged) {
        summary.plan = { actions: shown, counts };
        return finish('success');
      }

      emit({ type: 'phase', phase: 'transferring', counts });
      const done = await executePlan(staged, counts, { root, source: config.source, tracker, concurrency: options.concurrency, runId, emit, ...(signal ? { signal } : {}) });
      Object.assign(summary, { downloaded: done.downloaded, adopted: done.adopted, moved: done.moved, bytes: done.bytes, failures: done.failures, keptChanged: done.keptChanged });
      if (done.layoutComplete) tracker.setSetting(TEMPLATE_SETTING, options.template);
      if (done.stopCode) {
        summary.errorCode = done.stopCode;
        summary.errorMessage = done.stopMessage;
        summary.retryAfter = done.stopRetryAfter;
        return finish(stopOutcome(done.stopCode));
      }
      if (signal?.aborted) {
        // Stopped on request (Ctrl-C, SIGTERM, the app's Stop): what finished is kept, the rest waits for the next run.
        summary.errorCode = 'INTERRUPTED';
        summary.errorMessage = `Stopped after ${done.downloaded} downloads; ${done.failures.length} failed.`;
        return finish('interrupted');
      }
      if (!listing.complete) {
        summary.errorMessage = 'The library changed too much during the listing to be sure every photo was seen; the next run lists it again.';
        return finish('partial');
      }
      if (listing.problems.incomplete.length > 0) {
        summary.errorMessage ??= 'iCloud could not hand out some photos this time; the next run fetches them.';
        return finish('partial');
      }
      // A failed move is only planned again by a listing of the whole library: keep the position.
      if (!done.layoutComplete) return finish('partial');
      // Every wanted file was tried: the change-feed position moves on. Files that failed on their
      // own stay in the tracker's retry queue (asset_errors) and are retried by later runs.
      tracker.saveSyncTokens(listing.tokens, Date.now(), listingResets, listing.databaseTokens);
      tracker.setSetting(FINGERPRINT_SETTING, listingFingerprint(options));
      if (done.failures.length > 0) {
        // Lets the next run list incrementally although this one ends partial.
        tracker.setSetting(POSITION_RUN_SETTING, String(runId));
        return finish('partial');
      }
      // A full listing offered every wanted file: errors left belong to files no longer wanted.
      if (listing.mode === 'full') tracker.runs.clearAllAssetErrors();
      await removeLeftoverTempFiles(root);
      return finish('success');
    } catch (error) {
      summary.errorCode = errorCodeOf(error);
      summary.errorMessage = errorMessageOf(error);
      summary.retryAfter = retryAfterOf(error);
      try {
        finish(stopOutcome(summary.errorCode));
      } catch (recordError) {
        // A full disk may refuse the run record too: the summary still says what happened.
        if (errorCodeOf(recordError) !== 'DISK_FULL') throw recordError;
      }
      if (summary.errorCode === null) throw error;
      return summary;
    } finally {
      stage?.close();
      tracker.close();
    }
  } finally {
    release();
  }
}

/** The run outcome recorded for a run stopped by an error with this code. */
function stopOutcome(code: ErrorCode | null | undefined): Exclude<RunOutcome, 'running'> {
  if (code === 'DISK_FULL') return 'disk-full';
  return code === 'INTERRUPTED' ? 'interrupted' : 'failed';
}

function toSeenAsset(asset: ICloudAsset): SeenAsset {
  const { id, assetRecordName, library, filename, assetDate, addedDate, changeTag } = asset;
  return { id, assetRecord: assetRecordName, library, filename, assetDate, addedDate, changeTag };
}
