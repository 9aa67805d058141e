/**
 * Every on-disk location of the product, in one place. One data folder holds sessions, trackers,
 * logs and the config file, for the CLI and the desktop app alike, so a user can move between them.
 *
 * Permissions: folders 0700 and files 0600 on POSIX. On Windows, Node ignores these modes; the data
 * folder lives in the user's profile, whose ACL already limits it to that user (and admins).
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { accountFileStem } from './account-key.js';

export const DATA_DIR_ENV = 'ICLOUD_PHOTO_SYNC_DATA_DIR';
export const DEFAULT_DATA_DIR_NAME = '.icloud_photo_sync';
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
export const IS_WINDOWS = process.platform === 'win32';

export interface DataPaths {
  /** The data folder itself. */
  root: string;
  /** Per-account session files (cookies, tokens); written by the iCloud client. */
  sessionsDir: string;
  /** One SQLite tracker per account. */
  trackersDir: string;
  logsDir: string;
  /** The recent arrivals' thumbnails (a capped cache; never in the sync folder). */
  thumbnailsDir: string;
  /** The default config file (JSON). */
  configFile: string;
}

export function defaultDataDir(): string {
  return join(homedir(), DEFAULT_DATA_DIR_NAME);
}

/** Flag wins over the environment, which wins over the default. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env[DATA_DIR_ENV];
  return resolve(expandHome(chosen && chosen.trim() !== '' ? chosen : defaultDataDir()));
}

export function dataPaths(root: string): DataPaths {
  const abs = resolve(root);
  return {
    root: abs,
    sessionsDir: join(abs, 'sessions'),
    trackersDir: join(abs, 'trackers'),
    logsDir: join(abs, 'logs'),
    thumbnailsDir: join(abs, 'cache', 'thumbnails'),
    configFile: join(abs, 'config.json'),
  };
}

export function trackerFile(paths: DataPaths, appleId: string): string {
  return join(paths.trackersDir, `${accountFileStem(appleId)}.db`);
}

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  return path;
}

/** Creates the folder (and parents) and restricts it to the user. */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode is filtered by the umask and does not touch existing folders.
  if (!IS_WINDOWS) chmodSync(path, PRIVATE_DIR_MODE);
}

/** Creates the data folder and its sub-folders, all private. */
export function ensureDataDirs(paths: DataPaths): void {
  for (const dir of [paths.root, paths.sessionsDir, paths.trackersDir, paths.logsDir]) ensurePrivateDir(dir);
}

/** Writes a file readable only by the user, atomically (temp file, fsync, rename). */
export function writePrivateFileAtomic(path: string, data: string | Uint8Array): void {
  ensurePrivateDir(dirname(path));
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temp, 'w', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (!IS_WINDOWS) chmodSync(temp, PRIVATE_FILE_MODE);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
