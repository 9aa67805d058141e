import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Names the engine owns at the top of the sync folder; scans ignore them, sanitising avoids them. */
export const MARKER_FILE = '.icloud-photo-sync';
export const TEMP_DIR = '.icloud-photo-sync-tmp';
export const RESERVED_PREFIX = '.icloud-photo-sync';

/**
 * Marks `folder` as a sync folder, creating it if needed. Only the set-up (or adopt) step calls
 * this, never a sync run: a missing marker later means the drive is gone, not "start again".
 */
export function setupSyncFolder(folder: string, now = new Date()): void {
  mkdirSync(folder, { recursive: true });
  const marker = join(folder, MARKER_FILE);
  if (existsSync(marker)) return;
  const body = {
    app: 'icloud-photo-sync',
    createdAt: now.toISOString(),
    note: 'Marks this folder as an iCloud Photo Sync folder. Do not delete it: without it, syncing stops.',
  };
  writeFileSync(marker, `${JSON.stringify(body, null, 2)}\n`, { flag: 'wx' });
}

export function hasFolderMarker(folder: string): boolean {
  return existsSync(join(folder, MARKER_FILE));
}
