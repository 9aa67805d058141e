import { rename, rmdir } from 'node:fs/promises';
import { setMaxListeners } from 'node:events';
import { dirname, resolve } from 'node:path';
import type { ErrorCode } from '../../src-shared/errors.js';
import { fileOwnerOf, previewOf } from '../icloud/photos/asset.js';
import type { PhotoSource } from '../icloud/photos/photo-source.js';
import type { Tracker } from '../tracker/tracker.js';
import { CheckedFolders } from './checked-folders.js';
import { downloadResource, fileIdentity, type LandedFile } from './download-file.js';
import { FolderSync, fsyncPath } from './folder-sync.js';
import { sha256OfFile } from './folder-walk.js';
import { suffixedRelPath } from './naming/path-claims.js';
import { isStillOurs } from './still-ours.js';
import type { PlanCounts, PlanWork, WorkAction } from './plan-types.js';
import { ProgressMeter } from './progress-meter.js';
import { RecordBatch } from './record-batch.js';
import { ensureInsideRealFolder, lstatOrNull } from './real-folder.js';
import type { SyncEventListener } from './sync-events.js';
import { errorCodeOf, errorMessageOf, retryAfterOf } from './sync-error.js';
import type { FileFailure, KeptChange } from './sync-summary.js';

/** Failures that would hit every other file too: stop the run instead of trying them all. */
const RUN_STOPPERS = new Set<ErrorCode>([
  'DISK_FULL', 'AUTH_REQUIRED', 'CODE_REQUIRED', 'PASSWORD_REQUIRED', 'THROTTLED', 'ACCOUNT_LOCKED',
  'WEB_ACCESS_DISABLED', 'ADP_APPROVAL_NEEDED',
]);

/** NETWORK failures in a row (after the client's own retries) that mean the connection is gone. */
const NETWORK_STREAK_LIMIT = 5;

export interface ExecuteContext {
  /** The real sync folder (realFolder): moves and downloads never follow a link under it. */
  root: string;
  source: PhotoSource;
  tracker: Tracker;
  concurrency: number;
  runId: number;
  emit: SyncEventListener;
  signal?: AbortSignal;
}

export interface ExecuteResult {
  downloaded: number;
  adopted: number;
  moved: number;
  bytes: number;
  failures: FileFailure[];
  /** Files the user changed, left as they were (see KeptChange). */
  keptChanged: KeptChange[];
  /**
   * Every planned move is done: only then may the new layout be recorded. A failed move, or a run
   * stopped before the last one (Ctrl-C, SIGTERM), leaves it false and the next run moves the rest.
   */
  layoutComplete: boolean;
  /** Why the run stopped before the end, if it did. */
  stopCode: ErrorCode | null;
  stopMessage: string | null;
  /** For THROTTLED: when Apple said to come back (ISO 8601). */
  stopRetryAfter: string | null;
}

type Act<K extends WorkAction['kind']> = Extract<WorkAction, { kind: K }>;

/**
 * Carries out a plan: moves, then adoptions, then downloads with bounded concurrency. The work is
 * pulled from `plan` as workers get free, so only the actions in flight are in memory.
 */
export async function executePlan(plan: PlanWork, counts: PlanCounts, ctx: ExecuteContext): Promise<ExecuteResult> {
  const result: ExecuteResult = { downloaded: 0, adopted: 0, moved: 0, bytes: 0, failures: [], keptChanged: [], layoutComplete: false, stopCode: null, stopMessage: null, stopRetryAfter: null };
  const stop = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal;
  // A download in flight listens at most twice (its stream, a retry pause), and removes both when done.
  setMaxListeners(Math.max(10, ctx.concurrency * 2 + 1), signal);
  const meter = new ProgressMeter(counts.download + counts.adopt + counts.move, counts.downloadBytes, ctx.emit);
  const folderSync = new FolderSync();
  const folders = new CheckedFolders(ctx.root);
  let networkStreak = 0;
  let movesSettled = 0;
  let moveFailed = false;
  const stopRun = (code: ErrorCode, message: string, retryAfter: string | null = null) => {
    if (result.stopCode === null) {
      result.stopCode = code;
      result.stopMessage = message;
      result.stopRetryAfter = retryAfter;
    }
    stop.abort();
  };
  // A tracker write that fails stops the run: coded (a full disk, a damaged database) like any
  // run stopper, anything else thrown from here once the workers are done.
  let recordFailure: unknown;
  const stopOnRecordFailure = (error: unknown) => {
    const code = errorCodeOf(error);
    if (code !== null) stopRun(code, errorMessageOf(error));
    else recordFailure ??= error;
    stop.abort();
  };
  const finished = new RecordBatch(ctx.tracker, folderSync, stopOnRecordFailure);

  const perform = async (action: WorkAction): Promise<void> => {
    const { asset, resource, relPath } = action;
    const assetId = fileOwnerOf(asset, resource.version);
    try {
      if (action.kind === 'move') {
        const moved = await moveFile(ctx.root, action, folderSync);
        movesSettled++;
        if (!moved) {
          // Changed by the user: it stays where it is, now for good.
          ctx.tracker.updatePaths([{ assetId, version: resource.version, relPath: action.file.relPath }], true);
          result.keptChanged.push({ relPath: action.file.relPath, newVersionAt: null });
          return;
        }
        ctx.tracker.updatePaths([{ assetId, version: resource.version, relPath }], false);
        result.moved++;
      } else {
        let landed: LandedFile;
        if (action.kind === 'adopt') landed = await adoptFile(ctx.root, action);
        else {
          const target = await downloadTarget(ctx.root, action);
          landed = await downloadResource(
            { asset, resource, relPath: target.relPath, replacing: target.replacing },
            { root: ctx.root, source: ctx.source, signal, folders, onBytes: (n) => ((result.bytes += n), meter.addBytes(n)) },
          );
          if (action.replaces && !target.replacing) result.keptChanged.push({ relPath: action.replaces.relPath, newVersionAt: landed.file.relPath });
        }
        const recorded = landed.file;
        // A re-edit replaces our earlier edit (or, when the user changed it, leaves it untracked beside
        // the new one), which was recorded under the edit's old identity.
        const replaced = action.kind === 'download' ? action.replaces : undefined;
        // Complete on disk (fsync, rename): recorded with the next batch once its folder is fsynced, retry entry cleared.
        finished.add(replaced && replaced.assetId !== recorded.assetId ? { file: recorded, replaces: replaced } : { file: recorded }, landed.folder);
        if (action.kind === 'adopt') result.adopted++;
        else result.downloaded++;
      }
      if (action.kind === 'move') ctx.tracker.runs.clearAssetError(assetId, resource.version);
      networkStreak = 0;
      const outcome = action.kind === 'download' ? 'downloaded' : action.kind === 'adopt' ? 'adopted' : 'moved';
      ctx.emit({ type: 'file', outcome, assetId, version: resource.version, relPath, preview: previewOf(asset) });
    } catch (error) {
      const code = errorCodeOf(error);
      const message = errorMessageOf(error);
      if (code !== null && RUN_STOPPERS.has(code)) return stopRun(code, message, retryAfterOf(error));
      if (signal.aborted) return;
      // One file may fail on its own; many in a row mean the network is gone: stop trying.
      if (code === 'NETWORK' && ++networkStreak >= NETWORK_STREAK_LIMIT) stopRun('NETWORK', message);
      if (action.kind === 'move') moveFailed = true;
      result.failures.push({ assetId, version: resource.version, relPath, message });
      ctx.tracker.runs.recordAssetError(assetId, resource.version, message, ctx.runId, Date.now(), JSON.stringify(asset));
      ctx.emit({ type: 'file', outcome: 'failed', assetId, version: resource.version, relPath, error: message });
    } finally {
      meter.fileDone();
    }
  };

  // Moves and adoptions touch only the local disk: one at a time keeps their order predictable.
  for (const action of plan.work(['move', 'adopt'])) {
    if (signal.aborted) break;
    await perform(action);
  }
  result.layoutComplete = !moveFailed && movesSettled === counts.move;
  const downloads = plan.work(['download'])[Symbol.iterator]();
  const worker = async () => {
    while (!signal.aborted) {
      const next = downloads.next();
      if (next.done) return;
      await perform(next.value);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(ctx.concurrency, counts.download) }, worker));
  } finally {
    try {
      await finished.flush();
    } catch (error) {
      stopOnRecordFailure(error);
    }
  }
  if (recordFailure !== undefined) throw recordFailure;
  meter.flush();
  return result;
}

/**
 * Where a download goes. A re-edit replaces our earlier edited file only while it is exactly what
 * we wrote; a file the user changed stays, and the new version goes beside it under a suffix that
 * is the same on every run (from the asset and the new version's checksum).
 */
async function downloadTarget(root: string, action: Act<'download'>): Promise<{ relPath: string; replacing: boolean }> {
  const old = action.replaces;
  if (!old) return { relPath: action.relPath, replacing: false };
  if (await isStillOurs(await ensureInsideRealFolder(root, old.relPath, false), old)) return { relPath: action.relPath, replacing: true };
  return { relPath: suffixedRelPath(action.relPath, `${action.asset.id}\0${action.resource.fileChecksum}`), replacing: false };
}

/** Moves our file to its new place; false (and nothing moved) when the user changed it. */
async function moveFile(root: string, action: Act<'move'>, folderSync: FolderSync): Promise<boolean> {
  const from = await ensureInsideRealFolder(root, action.file.relPath, false);
  if (!(await isStillOurs(from, action.file))) return false;
  const to = await ensureInsideRealFolder(root, action.relPath, true);
  if (await lstatOrNull(to)) throw new Error(`Cannot move ${action.file.relPath}: ${action.relPath} already exists.`);
  await rename(from, to);
  await folderSync.sync(dirname(to));
  await pruneEmptyFolders(root, dirname(from));
  return true;
}

async function adoptFile(root: string, action: Act<'adopt'>): Promise<LandedFile> {
  const full = await ensureInsideRealFolder(root, action.relPath, false);
  const info = await lstatOrNull(full);
  // Only a plain file is adopted (ensureInsideRealFolder refused a link): a link's target is not ours.
  if (!info?.isFile()) throw new Error(`${action.relPath} is no longer a plain file; it was not adopted.`);
  if (info.size !== action.resource.size) throw new Error(`${action.relPath} changed while it was being adopted.`);
  const sha256 = await sha256OfFile(full);
  // It may have just been written (a killed run's download, a copy by the user): made durable like
  // a download before it is recorded; the record batch fsyncs its folder.
  await fsyncPath(full);
  const file = {
    ...fileIdentity(action.asset, action.resource.version),
    version: action.resource.version,
    relPath: action.relPath,
    size: info.size,
    sha256,
    mtimeMs: Math.round(info.mtimeMs),
    fileChecksum: action.resource.fileChecksum,
    recordedAt: Date.now(),
  };
  return { file, folder: dirname(full) };
}

/** Removes folders a move left empty, up to (never including) the sync folder. */
async function pruneEmptyFolders(root: string, dir: string): Promise<void> {
  const top = resolve(root).length;
  for (let current = dir; current.length > top; current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}
