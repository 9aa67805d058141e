import type { TrackedFile } from './tracker-types.js';

/** The `files` columns as TrackedFile fields (placedByUser still a number: see toTrackedFile). */
export const FILE_COLUMNS = `asset_id AS assetId, asset_record AS assetRecord, version, rel_path AS relPath, size, sha256, mtime_ms AS mtimeMs,
  file_checksum AS fileChecksum, state, recorded_at AS recordedAt, noticed_at AS noticedAt, placed_by_user AS placedByUser`;

export type FileRow = Omit<TrackedFile, 'placedByUser'> & { placedByUser: number };
export const toTrackedFile = ({ placedByUser, ...row }: FileRow): TrackedFile => ({ ...row, placedByUser: placedByUser === 1 });

/** Case- and normalisation-blind key of a relative path: Windows and macOS folders ignore case. */
export function pathKey(relPath: string): string {
  return relPath.normalize('NFC').toLowerCase();
}
