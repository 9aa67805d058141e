/**
 * How archived files are named and described in the container. Names are by content
 * (`<prefix>/<sha256[0:2]>/<sha256>/<path relative to the sync folder>`): the same bytes always get
 * the same name, so an upload can be retried or resumed without ever overwriting a different file,
 * and the path keeps the archive readable for a person browsing it.
 */
import { extname } from 'node:path';

export function blobNameOf(prefix: string, sha256: string, relPath: string): string {
  return `${prefix}/${sha256.slice(0, 2)}/${sha256}/${relPath}`;
}

/**
 * The id of block `index` of a file: derived from its content hash, so a resumed upload asks the
 * service which of *these* blocks it already holds. Azure wants every id of a blob to have the same
 * length (before base64): 32 hex digits of the hash, "-", a 6-digit index (50,000 blocks at most).
 */
export function blockIdOf(sha256: string, index: number): string {
  return Buffer.from(`${sha256.slice(0, 32)}-${String(index).padStart(6, '0')}`).toString('base64');
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.dng': 'image/x-adobe-dng',
  '.cr2': 'image/x-canon-cr2',
  '.cr3': 'image/x-canon-cr3',
  '.arw': 'image/x-sony-arw',
  '.nef': 'image/x-nikon-nef',
  '.raf': 'image/x-fuji-raf',
  '.orf': 'image/x-olympus-orf',
  '.rw2': 'image/x-panasonic-rw2',
  '.mov': 'video/quicktime',
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.3gp': 'video/3gpp',
  '.avi': 'video/x-msvideo',
};

/** The Content-Type a browser or `az storage blob download` gets for the file (by its extension). */
export function contentTypeOf(relPath: string): string {
  return CONTENT_TYPES[extname(relPath).toLowerCase()] ?? 'application/octet-stream';
}
