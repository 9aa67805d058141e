import { constants, lstatSync, type Stats } from 'node:fs';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { resolveInside } from './naming/safe-path.js';
import { fsyncPath } from './folder-sync.js';
import { OpenFile } from './open-file.js';

/**
 * Every write of a run goes through here. A path is checked as text by resolveInside; this module
 * also checks it on disk: a link (or a file where a folder should be) anywhere under the sync
 * folder would send a download or a move somewhere else, so it is refused.
 */
export class LinkInFolderError extends Error {
  constructor(readonly relPath: string) {
    super(
      `${relPath} inside the sync folder is a link to somewhere else; iCloud Photo Sync never writes through links. Remove the link or choose another folder.`,
    );
    this.name = 'LinkInFolderError';
  }
}

/** Undefined on Windows: there the lstat checks below are the whole protection. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** The sync folder with its own links resolved (the folder itself may be a link): resolve once per run. */
export function realFolder(root: string): Promise<string> {
  return realpath(root);
}

/**
 * Absolute path of `relPath` under `realRoot` (from realFolder), after checking on disk that no
 * part of it is a link: each existing folder on the way must be a real folder, and an existing
 * entry at the path itself must not be a link. With `createFolders`, missing folders are made one
 * at a time and checked again after (a link swapped in meanwhile is caught).
 */
export async function ensureInsideRealFolder(realRoot: string, relPath: string, createFolders: boolean): Promise<string> {
  const full = resolveInside(realRoot, relPath);
  const parts = relPath.split('/').filter((p) => p !== '' && p !== '.');
  let current = realRoot;
  for (const [index, part] of parts.slice(0, -1).entries()) {
    current = join(current, part);
    const shown = parts.slice(0, index + 1).join('/');
    let info = await lstatOrNull(current);
    if (!info && createFolders) {
      try {
        await mkdir(current);
        // The new folder's entry must be durable too, or a power cut could take the folder and every
        // file later recorded in it (the record batch fsyncs only the folders files land in).
        await fsyncPath(dirname(current));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      info = await lstatOrNull(current);
    }
    if (!info) throw Object.assign(new Error(`${shown} is missing from the sync folder.`), { code: 'ENOENT' });
    if (info.isSymbolicLink()) throw new LinkInFolderError(shown);
    if (!info.isDirectory()) throw new Error(`${shown} inside the sync folder is a file where a folder should be; it was left alone.`);
  }
  if ((await lstatOrNull(full))?.isSymbolicLink()) throw new LinkInFolderError(relPath);
  // Belt and braces (Windows junctions, a swap during the walk): the folder must resolve inside the root.
  const fromRoot = relative(realRoot, await realpath(dirname(full)));
  if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) throw new LinkInFolderError(relPath);
  return full;
}

/**
 * Opens a temp file for writing without following a link at its name: appending to the existing
 * file (a resume), or a fresh one that nothing else may already hold (O_EXCL).
 */
export async function openTempFile(path: string, relPath: string, resume: boolean): Promise<OpenFile> {
  // O_APPEND always: every write goes to the end, so the file's size is what was kept plus what was written.
  const flags = constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | NO_FOLLOW | (resume ? 0 : constants.O_EXCL);
  try {
    return OpenFile.open(path, flags, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new LinkInFolderError(relPath);
    if (code !== 'EEXIST') throw error;
  }
  // A fresh start over an old temp file (or a link at its name, which rm removes, never follows).
  await rm(path, { force: true });
  try {
    return OpenFile.open(path, flags, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new LinkInFolderError(relPath);
    throw error;
  }
}

/**
 * Opens a new temp file, or null when something already has its name (a partial download to
 * resume, or a link: the caller looks). Most downloads have no partial file: one open instead of
 * an lstat before it.
 */
export function openNewTempFile(path: string, relPath: string): OpenFile | null {
  try {
    return OpenFile.open(path, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | NO_FOLLOW | constants.O_EXCL, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return null;
    if (code === 'ELOOP') throw new LinkInFolderError(relPath);
    throw error;
  }
}

/**
 * lstat, or null when nothing is there. Synchronous on purpose: a run makes about three per file,
 * and on libuv's thread pool each cost a hand-over between threads that, on a busy machine, took
 * far longer than the lstat itself (the small-files bench: 39.5 s and 35.9 s of CPU with the pool,
 * 33.5 s and 29.9 s without). The engine already reads the sync folder synchronously at the start
 * of a run (marker, folder identity), so a drive that hangs blocks it there either way.
 */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
