/**
 * One archive run: plan from the tracker and the folder (no request when nothing is new), upload
 * what is new with `concurrency` files at once, record each blob in the tracker the moment the
 * service holds it, and in mirror mode remove the blobs of files the user deleted, behind the same
 * mass-deletion guard as the sync. A failure that concerns the whole container (credentials,
 * permission, missing container, throttling, network, full account) stops the run; a file that
 * fails alone is retried on the next run.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { errorCodeOf, type ErrorCode } from '../../src-shared/errors.js';
import { looksLikeMassDeletion } from '../sync/local-scan.js';
import { UserError } from '../config/user-error.js';
import { acquireRunLock } from '../sync/run-lock.js';
import type { ArchiveOutcome } from '../tracker/archive-store.js';
import { Tracker } from '../tracker/tracker.js';
import { planArchive, type ArchivePlan, type PlannedUpload } from './archive-planner.js';
import { ArchiveError, withRetries, type RetryOptions } from './azure-errors.js';
import { uploadFile } from './blob-uploader.js';

/** Tries per request (the first included) before a throttled or failing service stops the run. */
const REQUEST_TRIES = 6;
/** Mirror mode never calls fewer removals than this a mass deletion (as the sync). */
const MASS_DELETION_MIN_COUNT = 5;

export interface ArchiveRunInput {
  folder: string;
  databasePath: string;
  /** Opened only when there is something to send or remove. */
  openContainer: () => Promise<ContainerClient>;
}

export interface ArchiveRunOptions {
  prefix: string;
  tier: string;
  concurrency: number;
  mirror: boolean;
  massDeletionShare: number;
  dryRun: boolean;
  /** Mirror mode: the number of removals the user confirms (`--confirm-deletions`). */
  confirmDeletions?: number;
  signal?: AbortSignal;
  onEvent?: (event: ArchiveEvent) => void;
  /** Tests: smaller blocks, so a large file needs only a few MiB. */
  blockSize?: number;
}

export type ArchiveEvent =
  | { type: 'planned'; toUpload: number; toUploadBytes: number; alreadyArchived: number; toRemove: number }
  | { type: 'progress'; filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number }
  | { type: 'file'; relPath: string; outcome: 'uploaded' | 'failed' | 'removed'; error?: string }
  | { type: 'waiting'; seconds: number; reason: string };

export interface ArchiveSummary {
  runId: number | null;
  dryRun: boolean;
  outcome: Exclude<ArchiveOutcome, 'running'>;
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  /** For ARCHIVE_THROTTLED: the wait Azure last asked for, in seconds. */
  retryAfterSeconds: number | null;
  toUpload: number;
  toUploadBytes: number;
  alreadyArchived: number;
  missing: number;
  rehashed: number;
  uploaded: number;
  /** Bytes sent this run. */
  bytes: number;
  /** Blocks an interrupted upload had left with the service, not sent again. */
  blocksReused: number;
  toRemove: number;
  removed: number;
  failures: Array<{ relPath: string; message: string }>;
  /** Dry run: what would be uploaded. */
  planned: Array<{ relPath: string; blobName: string; size: number }>;
  startedAt: number;
  endedAt: number;
}

export async function runArchive(input: ArchiveRunInput, options: ArchiveRunOptions): Promise<ArchiveSummary> {
  const startedAt = Date.now();
  const release = options.dryRun ? () => {} : acquireRunLock(`${input.databasePath}.archive.lock`);
  const tracker = options.dryRun ? Tracker.openSnapshot(input.databasePath) : Tracker.open(input.databasePath);
  const runId = options.dryRun ? null : tracker.archive.startRun(startedAt);
  let summary: ArchiveSummary | null = null;
  try {
    const archived = tracker.archive.archivedFiles();
    const plan = await planArchive({ folder: input.folder, prefix: options.prefix, files: tracker.allFiles(), archived, mirror: options.mirror });
    summary = emptySummary(runId, options.dryRun, plan, startedAt);
    options.onEvent?.({ type: 'planned', toUpload: summary.toUpload, toUploadBytes: summary.toUploadBytes, alreadyArchived: plan.alreadyArchived, toRemove: plan.removals.length });
    if (options.dryRun) {
      summary.planned = plan.uploads.map((u) => ({ relPath: u.relPath, blobName: u.blobName, size: u.size }));
      return finish(summary);
    }
    // Safe to record before any request: the container holds these very bytes under that name.
    for (const touched of plan.touched) tracker.archive.recordMtime(touched.blobName, touched.mtimeMs);
    if (plan.uploads.length === 0 && plan.removals.length === 0) return finish(summary);
    const container = await input.openContainer();
    await new ArchiveWork(tracker, container, plan, options, summary).run();
    return finish(summary);
  } catch (error) {
    const code = errorCodeOf(error);
    if (!code) throw error;
    summary ??= emptySummary(runId, options.dryRun, null, startedAt);
    return finish(stopped(summary, error, code));
  } finally {
    if (runId !== null && summary) {
      tracker.archive.finishRun(runId, { ...summary, failed: summary.failures.length });
    }
    tracker.close();
    release();
  }
}

function finish(summary: ArchiveSummary): ArchiveSummary {
  summary.endedAt = Date.now();
  return summary;
}

function stopped(summary: ArchiveSummary, error: unknown, code: ErrorCode): ArchiveSummary {
  summary.outcome = code === 'INTERRUPTED' ? 'interrupted' : code === 'MASS_DELETION' ? 'mass-deletion' : 'failed';
  summary.errorCode = code;
  // A mass deletion's counts are the message; the catalogue's words are about the sync's own stop.
  summary.errorMessage = code === 'MASS_DELETION' && error instanceof UserError ? (error.detail ?? error.message) : error instanceof Error ? error.message : String(error);
  if (error instanceof ArchiveError && error.retryAfterSeconds !== undefined) summary.retryAfterSeconds = error.retryAfterSeconds;
  return summary;
}

function emptySummary(runId: number | null, dryRun: boolean, plan: ArchivePlan | null, startedAt: number): ArchiveSummary {
  return {
    runId,
    dryRun,
    outcome: 'success',
    errorCode: null,
    errorMessage: null,
    retryAfterSeconds: null,
    toUpload: plan?.uploads.length ?? 0,
    toUploadBytes: plan?.uploads.reduce((sum, u) => sum + u.size, 0) ?? 0,
    alreadyArchived: plan?.alreadyArchived ?? 0,
    missing: plan?.missing ?? 0,
    rehashed: plan?.rehashed ?? 0,
    uploaded: 0,
    bytes: 0,
    blocksReused: 0,
    toRemove: plan?.removals.length ?? 0,
    removed: 0,
    failures: [],
    planned: [],
    startedAt,
    endedAt: startedAt,
  };
}

/** The sending part of a run, with the state its parallel workers share. */
class ArchiveWork {
  private readonly queue: PlannedUpload[];
  private readonly captureDates: Map<string, number>;
  private readonly retry: RetryOptions;
  private stop: unknown = null;
  private filesDone = 0;

  constructor(
    private readonly tracker: Tracker,
    private readonly container: ContainerClient,
    private readonly plan: ArchivePlan,
    private readonly options: ArchiveRunOptions,
    private readonly summary: ArchiveSummary,
  ) {
    this.queue = [...plan.uploads];
    this.captureDates = tracker.archive.captureDates();
    this.retry = {
      maxTries: REQUEST_TRIES,
      ...(options.signal ? { signal: options.signal } : {}),
      onWait: (seconds, error) =>
        options.onEvent?.({ type: 'waiting', seconds, reason: (error as { statusCode?: number }).statusCode ? `Azure answered ${(error as { statusCode?: number }).statusCode}` : 'network error' }),
    };
  }

  async run(): Promise<void> {
    const workers = Array.from({ length: Math.min(this.options.concurrency, this.queue.length) }, () => this.worker());
    await Promise.all(workers);
    if (this.stop === null && this.options.signal?.aborted) this.stop = new ArchiveInterrupted();
    if (this.stop !== null) throw this.stop;
    if (this.summary.failures.length > 0) this.summary.outcome = 'partial';
    await this.removeDeleted();
  }

  private async worker(): Promise<void> {
    for (let file = this.queue.shift(); file && this.stop === null && !this.options.signal?.aborted; file = this.queue.shift()) {
      try {
        const result = await uploadFile(this.container, file, {
          tier: this.options.tier,
          metadata: this.metadataOf(file),
          retry: this.retry,
          onBytes: (bytes) => this.progress(bytes),
          ...(this.options.blockSize ? { blockSize: this.options.blockSize } : {}),
        });
        this.tracker.archive.recordArchived({ ...file, etag: result.etag, archivedAt: Date.now() });
        this.summary.uploaded++;
        this.summary.blocksReused += result.blocksReused;
        this.options.onEvent?.({ type: 'file', relPath: file.relPath, outcome: 'uploaded' });
      } catch (error) {
        // A catalogue error concerns the container or the account: every other file would meet it too.
        if (errorCodeOf(error)) {
          this.stop ??= error;
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        this.summary.failures.push({ relPath: file.relPath, message });
        this.options.onEvent?.({ type: 'file', relPath: file.relPath, outcome: 'failed', error: message });
      }
      this.filesDone++;
      this.progress(0);
    }
  }

  private progress(bytes: number): void {
    this.summary.bytes += bytes;
    this.options.onEvent?.({ type: 'progress', filesDone: this.filesDone, filesTotal: this.plan.uploads.length, bytesDone: this.summary.bytes, bytesTotal: this.summary.toUploadBytes });
  }

  /** Azure metadata is ASCII name=value: the iCloud ids are, the capture date is ISO 8601. */
  private metadataOf(file: PlannedUpload): Record<string, string> {
    const master = file.assetId.split(':')[0] ?? file.assetId;
    const captured = this.captureDates.get(master);
    return {
      icloudassetid: file.assetId,
      icloudversion: file.version,
      sha256: file.sha256,
      ...(captured !== undefined ? { captured: new Date(captured).toISOString() } : {}),
    };
  }

  /** Mirror mode: the blobs of files the user deleted, unless so many at once that a wiped folder is likelier. */
  private async removeDeleted(): Promise<void> {
    const removals = this.plan.removals;
    if (removals.length === 0) return;
    const archivedCount = this.tracker.archive.archivedFiles().length;
    const rule = { massDeletionShare: this.options.massDeletionShare, massDeletionMinCount: MASS_DELETION_MIN_COUNT };
    if (looksLikeMassDeletion(removals.length, archivedCount, rule) && this.options.confirmDeletions !== removals.length) {
      const mismatch = this.options.confirmDeletions === undefined ? '' : ` (not ${this.options.confirmDeletions})`;
      throw new ArchiveError(
        'MASS_DELETION',
        `${removals.length}${mismatch} of ${archivedCount} archived files were deleted from the sync folder. Nothing was removed from the archive. If you deleted them on purpose, run the archive again with --mirror --confirm-deletions ${removals.length}.`,
      );
    }
    for (const blob of removals) {
      if (this.options.signal?.aborted) throw new ArchiveInterrupted();
      await withRetries(() => this.container.deleteBlob(blob.blobName, { deleteSnapshots: 'include' }).catch(ignoreMissing), this.retry);
      this.tracker.archive.forget(blob.blobName);
      this.summary.removed++;
      this.options.onEvent?.({ type: 'file', relPath: blob.relPath, outcome: 'removed' });
    }
  }
}

class ArchiveInterrupted extends ArchiveError {
  constructor() {
    super('INTERRUPTED');
  }
}

/** A blob already gone (removed by hand) is what mirror mode wanted. */
function ignoreMissing(error: unknown): void {
  if ((error as { statusCode?: number }).statusCode !== 404 || (error as { details?: { errorCode?: string } }).details?.errorCode === 'ContainerNotFound') throw error;
}
