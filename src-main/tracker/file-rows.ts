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

/**
 * Orders path keys as the tracker's index does: SQLite compares text as UTF-8 bytes, which is code
 * point order. JavaScript's `<` compares UTF-16 units, which puts U+E000-U+FFFF after the surrogate
 * pairs of emoji and other characters above U+FFFF; the units are ranked by code point here.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

const codePointRank = (unit: number): number => (unit >= 0xd800 && unit < 0xe000 ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);
