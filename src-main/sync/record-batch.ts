import type { FinishedFile, Tracker } from '../tracker/tracker.js';

/**
 * A batch is written once it holds this many files... Each commit rewrites every index page its
 * rows touch (the keys are spread across the indexes): at 100 ms batches the small-files bench
 * wrote 4 WAL pages per file.
 */
const MAX_FILES = 1000;
/** ...or once its oldest file has waited this long (ms). */
const MAX_WAIT_MS = 500;

/**
 * Tracker rows of finished files, written many per transaction instead of one transaction each.
 * Only files already complete on disk (fsynced, renamed, their folder fsynced) are added, so the
 * tracker still records only complete files. A crash loses at most the last ~500 ms of rows: those
 * files are on disk under their final names, and the next run adopts them (size and hash checked)
 * instead of downloading them again.
 */
export class RecordBatch {
  private pending: FinishedFile[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `onFailure` hears a write that failed in the background (a full disk, a locked database); its rows stay pending. */
  constructor(
    private readonly tracker: Tracker,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  add(entry: FinishedFile): void {
    this.pending.push(entry);
    if (this.pending.length >= MAX_FILES) this.flushInBackground();
    else this.timer ??= setTimeout(() => this.flushInBackground(), MAX_WAIT_MS);
  }

  /** Writes what is pending now; throws when the write fails (the rows stay pending for a retry). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    this.tracker.recordFinished(this.pending);
    this.pending = [];
  }

  private flushInBackground(): void {
    try {
      this.flush();
    } catch (error) {
      this.onFailure(error);
    }
  }
}
