import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    // This folder's identity: the tracker keeps each folder's files apart by it (folder-identity.ts).
    id: randomUUID(),
    createdAt: now.toISOString(),
    note: 'Marks this folder as an iCloud Photo Sync folder. Do not delete it: without it, syncing stops.',
  };
  writeFileSync(marker, `${JSON.stringify(body, null, 2)}\n`, { flag: 'wx' });
}

export function hasFolderMarker(folder: string): boolean {
  return existsSync(join(folder, MARKER_FILE));
}

/**
 * The identity written in the folder's marker. A marker from before identities has none: its
 * creation time (unique per set-up) stands in, or else a hash of its bytes; never rewritten.
 */
export function readFolderId(folder: string): string {
  const bytes = readFileSync(join(folder, MARKER_FILE));
  try {
    const body = JSON.parse(bytes.toString('utf8')) as { id?: unknown; createdAt?: unknown };
    if (typeof body.id === 'string' && body.id !== '') return body.id;
    if (typeof body.createdAt === 'string' && body.createdAt !== '') return `created-${body.createdAt}`;
  } catch {
    // Not JSON (edited by hand): its bytes still tell one marker from another.
  }
  return `marker-${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`;
}
