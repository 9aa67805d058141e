import type { FinishedFile, Tracker } from '../tracker/tracker.js';
import type { FolderSync } from './folder-sync.js';

/**
 * A batch is written once it holds this many files... Each commit rewrites every index page its
 * rows touch (the keys are spread across the indexes): at 100 ms batches the small-files bench
 * wrote 4 WAL pages per file.
 */
export const RECORD_BATCH_MAX_FILES = 1000;
/** ...or once its oldest file has waited this long (ms). */
const MAX_WAIT_MS = 500;
/** Folders fsynced at once before a batch is recorded (libuv's thread pool has 4 threads). */
const FOLDERS_AT_ONCE = 4;

/**
 * Tracker rows of finished files, written many per transaction instead of one transaction each.
 * Files come in renamed into place (their bytes fsynced); before a batch is recorded, each folder
 * a file of it was renamed into is fsynced, once per batch, so the tracker records only files
 * complete and durable on disk: a row saying "downloaded" for a rename that a power cut undid would
 * make the next run take the missing file for one the user deleted, and never fetch it again.
 * A crash loses at most the last ~500 ms of rows: those files are on disk under their final names,
 * and the next run adopts them (size and hash checked) instead of downloading them again.
 */
export class RecordBatch {
  private pending: Array<{ entry: FinishedFile; landedIn: string }> = [];
  private timer: NodeJS.Timeout | undefined;
  /** The batch being written: batches are written one after another, in order. */
  private writing: Promise<void> = Promise.resolve();

  /**
   * A folder fsync that failed: nothing more is recorded in this run. Linux reports a failed
   * writeback once, so a later fsync of the same folder can succeed without the renames being on
   * disk; recording then would trust them. The files stay on disk unrecorded: the next run checks
   * them (adoption: size and hash) or downloads them again.
   */
  private unsafe: Error | undefined;

  /** `onFailure` hears a write that failed in the background (a full disk, a locked database, a folder that could not be fsynced). */
  constructor(
    private readonly tracker: Tracker,
    private readonly folderSync: FolderSync,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Adds a finished file; `landedIn` is the folder to fsync before it is recorded (where it was renamed or adopted). */
  add(entry: FinishedFile, landedIn: string): void {
    this.pending.push({ entry, landedIn });
    if (this.pending.length >= RECORD_BATCH_MAX_FILES) this.flushInBackground();
    else this.timer ??= setTimeout(() => this.flushInBackground(), MAX_WAIT_MS);
  }

  /**
   * Writes what is pending now, after any batch already being written; rejects when the write
   * fails (after a database failure the rows stay pending for another try; after a folder fsync
   * failure nothing more is recorded).
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    const written = this.writing.catch(() => undefined).then(() => this.write(batch));
    this.writing = written;
    return written;
  }

  private async write(batch: RecordBatch['pending']): Promise<void> {
    if (batch.length === 0) return;
    if (this.unsafe) throw this.unsafe;
    const folders = [...new Set(batch.map((b) => b.landedIn))];
    // A few at a time: a batch can span hundreds of folders, each held open while it syncs.
    const syncNext = async () => {
      for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
        try {
          await this.folderSync.sync(folder);
        } catch (error) {
          this.unsafe ??= unsafeFolderError(folder, error);
          folders.length = 0;
        }
      }
    };
    await Promise.all(Array.from({ length: FOLDERS_AT_ONCE }, syncNext));
    if (this.unsafe) throw this.unsafe;
    try {
      this.tracker.recordFinished(batch.map((b) => b.entry));
    } catch (error) {
      this.pending.unshift(...batch);
      throw error;
    }
  }

  private flushInBackground(): void {
    this.flush().catch((error: unknown) => this.onFailure(error));
  }
}

/** Why nothing more is recorded: said plainly, with the folder, and what to do next. */
function unsafeFolderError(folder: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new Error(`The folder ${folder} was removed while photos were being saved into it. Nothing more was recorded in this run; run the sync again to download what is missing.`);
  }
  return new Error(`The disk could not confirm that the photos in ${folder} were saved (${code ?? 'an error'}). They stay on disk, unrecorded; the next run checks them. Check the disk or drive, then run the sync again.`);
}
