import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathKey } from '../tracker/file-rows.js';
import { RESERVED_PREFIX } from './folder-marker.js';

/** One folder of the sync folder, as the walk reads it (names only, nothing stat'ed). */
export interface WalkedFolder {
  /** Absolute path. */
  path: string;
  /** Relative path with a trailing '/' ('' for the sync folder itself), exactly as the disk has it. */
  prefix: string;
  /** pathKey of `prefix`: how the tracker's rows name this folder. */
  key: string;
  /**
   * Another folder has the same key (names that differ only in case, on a case-sensitive disk), or
   * one of its parents does: its files count only together with that folder's.
   */
  sharesKey: boolean;
  /** Its regular files (not folders, not links), except the engine's own entries. */
  fileNames: string[];
  /** The keys (pathKey of the name) of its sub-folders. */
  subFolderKeys: string[];
}

export interface FolderWalk {
  /** Every symbolic link (or junction) met on the way, not followed: what lies under it is not walked. */
  links: string[];
  /** Every folder met on the way (a folder can occupy a name a photo wants), sorted. */
  folders: string[];
}

/**
 * Walks the folder, every sub-folder in parallel, handing each folder's file names to `visit` as
 * soon as they are read: nothing of the whole tree is kept but the folder and link names.
 */
export async function walkFolders(root: string, visit: (folder: WalkedFolder) => Promise<void>): Promise<FolderWalk> {
  const links: string[] = [];
  const folders: string[] = [];
  const reading = new Slots(READS_AT_ONCE);
  async function walk(path: string, prefix: string, sharesKey: boolean): Promise<void> {
    const entries = await reading.run(() => readdir(path, { withFileTypes: true }));
    const fileNames: string[] = [];
    const subFolders: string[] = [];
    for (const entry of entries) {
      if (prefix === '' && entry.name.startsWith(RESERVED_PREFIX)) continue;
      // The name exactly as the disk has it (a file copied from a Mac may be NFD): it is opened by
      // this name later; matching against tracked paths goes through pathKey, which normalises.
      if (entry.isDirectory()) subFolders.push(entry.name);
      else if (entry.isFile()) fileNames.push(entry.name);
      // Symbolic links are not followed: a link loop or a link out of the folder is not ours.
      else if (entry.isSymbolicLink()) links.push(prefix + entry.name);
    }
    const subFolderKeys = subFolders.map((name) => pathKey(name));
    await visit({ path, prefix, key: pathKey(prefix), sharesKey, fileNames, subFolderKeys });
    const keyCounts = new Map<string, number>();
    for (const key of subFolderKeys) keyCounts.set(key, (keyCounts.get(key) ?? 0) + 1);
    await Promise.all(
      subFolders.map((name) => {
        folders.push(prefix + name);
        const collides = (keyCounts.get(pathKey(name)) ?? 0) > 1;
        return walk(join(path, name), `${prefix}${name}/`, sharesKey || collides);
      }),
    );
  }
  await walk(root, '', false);
  return { links: links.sort(), folders: folders.sort() };
}

/**
 * Folders read at once: enough to keep the disk and libuv's threads busy, few enough that the names
 * of thousands of folders are not all held at the same time.
 */
const READS_AT_ONCE = 16;

/** At most `size` tasks at a time; the others wait in line. */
class Slots {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.busy++;
    try {
      return await task();
    } finally {
      this.busy--;
      this.waiting.shift()?.();
    }
  }
}

/** The size of a regular file, or null when it is gone or no longer a regular file. */
export async function fileSize(path: string): Promise<number | null> {
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return info?.isFile() ? info.size : null;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
