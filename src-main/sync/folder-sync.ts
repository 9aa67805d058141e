import { constants } from 'node:fs';
import { OpenFile } from './open-file.js';

/**
 * fsyncs folders after files were renamed into them, so a rename survives a power cut before the
 * tracker records the file. Group commit per folder: at most one fsync of a folder runs at a time,
 * and every request that arrives meanwhile shares the one queued after it, so parallel downloads
 * into one folder cost one or two fsyncs, not one each.
 */
export class FolderSync {
  /** Per folder: the fsync not started yet, which new requests join. */
  private readonly queued = new Map<string, Promise<void>>();
  /** Per folder: the fsync running now. */
  private readonly running = new Map<string, Promise<void>>();

  /** Resolves once `dir` was fsynced after this call (so after every rename done before it). */
  sync(dir: string): Promise<void> {
    const queued = this.queued.get(dir);
    if (queued) return queued;
    const before = this.running.get(dir) ?? Promise.resolve();
    const next: Promise<void> = before
      .catch(() => undefined)
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(async () => {
        // From here on, a new request needs the next fsync: its rename may come after this one starts.
        this.queued.delete(dir);
        this.running.set(dir, next);
        try {
          await fsyncPath(dir);
        } finally {
          if (this.running.get(dir) === next) this.running.delete(dir);
        }
      });
    this.queued.set(dir, next);
    return next;
  }
}

/**
 * fsyncs a folder (so the entries renamed or made in it survive a power cut) or a file (its bytes),
 * opened read-only. On Windows a folder cannot be flushed (NTFS journals its entries): a no-op there.
 */
export async function fsyncPath(path: string): Promise<void> {
  let entry: OpenFile | undefined;
  try {
    entry = OpenFile.open(path, constants.O_RDONLY, 0);
    await entry.sync();
  } catch (error) {
    // Windows cannot open or flush a folder; NTFS journals the rename itself.
    if (process.platform !== 'win32') throw error;
  } finally {
    entry?.close();
  }
}
