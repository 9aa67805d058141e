import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { compareKeys, pathKey } from '../tracker/file-rows.js';
import { RESERVED_PREFIX } from './folder-marker.js';

/** A regular file met by the walk. */
export interface WalkedFile {
  /** Relative path exactly as the disk has it (a file copied from a Mac may be NFD): it is opened by this name. */
  relPath: string;
  /** pathKey of `relPath`: how the tracker's rows name it. */
  key: string;
}

export interface FolderWalk {
  /** Every symbolic link (or junction) met on the way, not followed: what lies under it is not walked. */
  links: string[];
  /** Every folder met on the way (a folder can occupy a name a photo wants), sorted. */
  folders: string[];
}

/**
 * Folders of one key: usually one. Folders whose names differ only in case (a case-sensitive disk)
 * share a key, and so do their sub-folders of the same key: they are read as one folder.
 */
interface KeyFolder {
  /** pathKey of the relative path with a trailing '/' ('' for the sync folder itself). */
  key: string;
  /** Relative paths with a trailing '/', exactly as the disk has them. */
  prefixes: string[];
}

/** What is in a key folder, sorted by key: a sub-folder sorts as its key plus '/' (where its files sort). */
type Entry = { file: WalkedFile } | { folder: KeyFolder };

/**
 * Walks the folder and hands its regular files to `visit` in the order of their keys (compareKeys:
 * the order of the tracker's path_key index), a few at a time; the whole walk is that order, because
 * a folder's entries are sorted and each sub-folder is walked where its key sorts. Sub-folders are
 * read ahead, several at a time, so the disk stays busy while the files are compared. Nothing of the
 * whole tree is kept but the folder and link names. The engine's own entries at the top are skipped.
 */
export async function walkFolders(root: string, visit: (files: ReadonlyArray<WalkedFile>) => void): Promise<FolderWalk> {
  const links: string[] = [];
  const folders: string[] = [];
  const reading = new Slots(READS_AT_ONCE);

  async function read(folder: KeyFolder): Promise<Entry[]> {
    const lists = await Promise.all(folder.prefixes.map((prefix) => reading.run(() => readdir(join(root, prefix), { withFileTypes: true }))));
    const entries: Entry[] = [];
    const subFolders = new Map<string, KeyFolder>();
    lists.forEach((list, i) => {
      const prefix = folder.prefixes[i] ?? '';
      for (const entry of list) {
        if (prefix === '' && entry.name.startsWith(RESERVED_PREFIX)) continue;
        const relPath = prefix + entry.name;
        if (entry.isFile()) entries.push({ file: { relPath, key: folder.key + pathKey(entry.name) } });
        else if (entry.isDirectory()) {
          folders.push(relPath);
          const key = `${folder.key}${pathKey(entry.name)}/`;
          const same = subFolders.get(key);
          if (same) same.prefixes.push(`${relPath}/`);
          else subFolders.set(key, { key, prefixes: [`${relPath}/`] });
        }
        // Symbolic links are not followed: a link loop or a link out of the folder is not ours.
        else if (entry.isSymbolicLink()) links.push(relPath);
      }
    });
    for (const sub of subFolders.values()) entries.push({ folder: sub });
    return entries.sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  }

  async function walk(entries: Entry[]): Promise<void> {
    const subFolders = entries.flatMap((e) => ('folder' in e ? [e.folder] : []));
    // Reads of the next sub-folders, started ahead of their turn and dropped once walked (a window,
    // so a folder of thousands of albums never holds them all). Failures are awaited in turn, not
    // left unhandled.
    const ahead: Array<Promise<Entry[]>> = [];
    let started = 0;
    const readAhead = () => {
      for (; started < subFolders.length && ahead.length < FOLDERS_AHEAD; started++) {
        const reading = read(subFolders[started] as KeyFolder);
        reading.catch(() => undefined);
        ahead.push(reading);
      }
    };
    readAhead();
    let files: WalkedFile[] = [];
    for (const entry of entries) {
      if ('file' in entry) {
        files.push(entry.file);
        continue;
      }
      if (files.length > 0) visit(files);
      files = [];
      const next = ahead.shift() as Promise<Entry[]>;
      readAhead();
      await walk(await next);
    }
    if (files.length > 0) visit(files);
  }

  await walk(await read({ key: '', prefixes: [''] }));
  return { links: links.sort(), folders: folders.sort() };
}

const keyOf = (entry: Entry): string => ('file' in entry ? entry.file.key : entry.folder.key);

/** Sub-folders read ahead of their turn, per folder being walked. */
const FOLDERS_AHEAD = 32;

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
