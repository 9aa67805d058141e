/**
 * A synced library for the archive's tests without a simulator: real files in a temp sync folder
 * and a real tracker holding them as a sync records them, plus the environment the real CLI needs
 * to archive it with a connection string.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPaths, trackerFile } from '../../src-main/config/paths.js';
import { Tracker } from '../../src-main/tracker/tracker.js';
import { cliEnv } from '../integration/cli-harness.js';

export interface SyncedFile {
  assetId: string;
  relPath: string;
  sha256: string;
  bytes: Buffer;
}

export interface ArchiveLibrary {
  folder: string;
  trackerPath: string;
  /** The CLI's environment: this library, the archive by connection string to `container`. */
  env: NodeJS.ProcessEnv;
  files: SyncedFile[];
  /** Writes a file into the sync folder and records it in the tracker as a sync would. */
  add(relPath: string, bytes: Buffer): SyncedFile;
  /** The file's full path in the sync folder. */
  pathOf(relPath: string): string;
  close(): void;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function openArchiveLibrary(container: string, appleId: string): ArchiveLibrary {
  const base = mkdtempSync(join(tmpdir(), 'archive-library-'));
  const folder = join(base, 'Photos');
  const dataDir = join(base, 'data');
  mkdirSync(folder, { recursive: true });
  const trackerPath = trackerFile(dataPaths(dataDir), appleId);
  mkdirSync(join(trackerPath, '..'), { recursive: true });
  const pathOf = (relPath: string) => join(folder, ...relPath.split('/'));
  const library: ArchiveLibrary = {
    folder,
    trackerPath,
    env: cliEnv(null, dataDir, {
      ICLOUD_PHOTO_SYNC_APPLE_ID: appleId,
      ICLOUD_PHOTO_SYNC_SYNC_FOLDER: folder,
      ICLOUD_PHOTO_SYNC_ARCHIVE_CREDENTIAL: 'connection-string',
      ICLOUD_PHOTO_SYNC_ARCHIVE_CONTAINER: container,
      ICLOUD_PHOTO_SYNC_ARCHIVE_CONCURRENCY: '2',
    }),
    files: [],
    pathOf,
    add(relPath, bytes) {
      const full = pathOf(relPath);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, bytes);
      const file: SyncedFile = { assetId: `ASSET-${library.files.length}`, relPath, sha256: sha256Of(bytes), bytes };
      const id = file.assetId;
      const tracker = Tracker.open(trackerPath);
      try {
        tracker.recordAssets([{ id, library: 'personal', filename: relPath.split('/').pop() ?? relPath, assetDate: Date.UTC(2024, 4, library.files.length + 1), addedDate: Date.UTC(2024, 5, 1), changeTag: 'c1' }], Date.now());
        tracker.recordFiles([{ assetId: id, version: 'original', relPath, size: bytes.length, sha256: file.sha256, mtimeMs: Math.round(statSync(full).mtimeMs), fileChecksum: `checksum-${id}`, recordedAt: Date.now() }]);
      } finally {
        tracker.close();
      }
      library.files.push(file);
      return file;
    },
    close: () => rmSync(base, { recursive: true, force: true }),
  };
  return library;
}
