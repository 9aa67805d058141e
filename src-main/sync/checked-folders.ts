import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { resolveInside } from './naming/safe-path.js';
import { ensureInsideRealFolder, LinkInFolderError, lstatOrNull } from './real-folder.js';

interface CheckedFolder {
  dev: number;
  ino: number;
}

/**
 * The folders a run writes into, each checked in full once (ensureInsideRealFolder: every folder on
 * the way a real folder, none a link, the folder resolving inside the sync folder), then per file
 * by one lstat of the file's own folder, which must still be that same folder (same device and
 * inode, not a link). A folder swapped for a link, or a folder above it swapped (the lstat then
 * reaches another folder), fails the comparison and is checked in full again, which refuses the
 * link. Per file this costs one lstat instead of one per folder on the way plus a realpath.
 *
 * The entry at the path itself is not looked at here: temp files are opened with O_NOFOLLOW, and a
 * rename replaces a link at its target instead of following it (the caller lstats the target anyway).
 */
export class CheckedFolders {
  private readonly folders = new Map<string, Promise<CheckedFolder>>();

  /** `root` is the real sync folder (realFolder). */
  constructor(readonly root: string) {}

  /** Absolute path of `relPath`; its folder is made (with `createFolders`) and checked as above. */
  async path(relPath: string, createFolders: boolean): Promise<string> {
    const full = resolveInside(this.root, relPath);
    const slash = relPath.lastIndexOf('/');
    if (slash < 0) return full; // directly in the sync folder, which the run resolved itself
    const dirRel = relPath.slice(0, slash);
    const known = await this.check(dirRel, createFolders, false);
    const now = await lstatOrNull(dirname(full));
    if (sameFolder(now, known)) return full;
    // Changed since its check (removed and made again, or swapped): the full check decides.
    const again = await this.check(dirRel, createFolders, true);
    if (!sameFolder(await lstatOrNull(dirname(full)), again)) throw new LinkInFolderError(dirRel);
    return full;
  }

  private check(dirRel: string, createFolders: boolean, fresh: boolean): Promise<CheckedFolder> {
    const cached = this.folders.get(dirRel);
    if (cached && !fresh) return cached;
    const checking = (async () => {
      // The folder as the last step of a path checks every folder on the way and the folder itself.
      const full = await ensureInsideRealFolder(this.root, `${dirRel}/.check`, createFolders);
      const info = await lstatOrNull(dirname(full));
      if (!info?.isDirectory()) throw new LinkInFolderError(dirRel);
      return { dev: info.dev, ino: info.ino };
    })();
    this.folders.set(dirRel, checking);
    // A failed check is not kept: the next file in that folder checks again (and fails again if it must).
    checking.catch(() => {
      if (this.folders.get(dirRel) === checking) this.folders.delete(dirRel);
    });
    return checking;
  }
}

function sameFolder(info: Stats | null, known: CheckedFolder): boolean {
  return info !== null && info.isDirectory() && !info.isSymbolicLink() && info.dev === known.dev && info.ino === known.ino;
}
