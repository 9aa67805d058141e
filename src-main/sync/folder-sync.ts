import { open } from 'node:fs/promises';

/**
 * fsyncs folders after files were renamed into them, so a rename survives a power cut before the
 * tracker records the file. Requests for the same folder that arrive while a sync is waiting to
 * start share it: with parallel downloads into one day's folder, one fsync covers several files.
 */
export class FolderSync {
  private readonly waiting = new Map<string, Promise<void>>();

  /** Resolves once `dir` was fsynced after this call (so after every rename done before it). */
  sync(dir: string): Promise<void> {
    const shared = this.waiting.get(dir);
    if (shared) return shared;
    const started = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      // From here on, a new request needs a new fsync: its rename may come after this one's.
      this.waiting.delete(dir);
      await fsyncFolder(dir);
    });
    this.waiting.set(dir, started);
    return started;
  }
}

async function fsyncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or flush a folder; NTFS journals the rename itself.
    if (process.platform !== 'win32') throw error;
  } finally {
    await handle?.close();
  }
}
