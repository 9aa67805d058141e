import type { FinishedFile, Tracker } from '../tracker/tracker.js';
import type { FolderSync } from './folder-sync.js';

/** A batch is written once it holds this many files... */
const MAX_FILES = 200;
/** ...or once its oldest file has waited this long (ms). */
const MAX_WAIT_MS = 100;

interface Pending {
  entry: FinishedFile;
  /** The folder a download was renamed into: fsynced before its row is written. Absent for an adoption. */
  folder?: string;
}

/**
 * Tracker rows of finished files, written many per transaction instead of one transaction each,
 * off the downloads' path: a download is done once its temp file is fsynced and renamed, and the
 * worker goes on to the next file while the batch fsyncs the folders its files were renamed into
 * (each folder once, all of them in parallel) and only then writes their rows. So the tracker still
 * records only files complete and durable on disk. A crash loses at most the last ~100 ms of rows:
 * those files are on disk (or, if their folder was not synced yet, possibly not), and the next run
 * adopts the ones it finds (size and hash checked) and downloads the others.
 */
export class RecordBatch {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The batch being written (one at a time, in order). */
  private writing: Promise<void> = Promise.resolve();

  /** `onFailure` hears a batch that could not be written (a folder fsync or the tracker failed); its rows are dropped. */
  constructor(
    private readonly tracker: Tracker,
    private readonly folderSync: FolderSync,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  add(entry: FinishedFile, folder?: string): void {
    this.pending.push(folder === undefined ? { entry } : { entry, folder });
    if (this.pending.length >= MAX_FILES) this.startWrite();
    else this.timer ??= setTimeout(() => this.startWrite(), MAX_WAIT_MS);
  }

  /** Writes what is pending; resolves once every batch so far was written or reported to onFailure. */
  async flush(): Promise<void> {
    this.startWrite();
    await this.writing;
  }

  private startWrite(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => this.write(batch).catch(this.onFailure));
  }

  private async write(batch: Pending[]): Promise<void> {
    // A rename is durable only once its folder is synced; only then may the file be recorded.
    const folders = new Set(batch.flatMap((p) => (p.folder === undefined ? [] : [p.folder])));
    await Promise.all([...folders].map((folder) => this.folderSync.sync(folder)));
    this.tracker.recordFinished(batch.map((p) => p.entry));
  }
}
