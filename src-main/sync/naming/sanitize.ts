/** Names the engine keeps for itself at the top of the sync folder (see folder-marker.ts). */
const ENGINE_PREFIX = '.icloud-photo-sync';

/** Longest file name most file systems accept (ext4, NTFS in practice), in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;

// Characters Windows forbids in names, plus the path separators and every control character.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
// Windows reserves these device names whatever the extension (CON.txt is the console too).
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Splits at the last dot, keeping a leading dot (".profile") as part of the stem. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/**
 * One path segment (folder or file name) made safe on Windows and Linux alike: NFC, forbidden and
 * control characters replaced, no trailing dots or spaces, no reserved device name, and at most
 * 255 UTF-8 bytes with the extension kept.
 */
export function sanitizeSegment(raw: string): string {
  let name = raw.normalize('NFC').replace(FORBIDDEN, '_');
  name = name.replace(/[. ]+$/u, '');
  if (name === '' || name === '.' || name === '..') name = '_';
  const { stem } = splitExtension(name);
  const base = stem.split('.')[0] ?? stem;
  // Windows device names, and our own marker/temp names, get a leading underscore.
  if (RESERVED.test(base.trim()) || name.toLowerCase().startsWith(ENGINE_PREFIX)) name = `_${name}`;
  return limitNameBytes(name);
}

/** Cuts the stem (never the extension, unless it alone is too long) to fit MAX_NAME_BYTES. */
export function limitNameBytes(name: string, maxBytes = MAX_NAME_BYTES): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  let { stem, ext } = splitExtension(name);
  if (Buffer.byteLength(ext) > maxBytes / 2) {
    stem = name;
    ext = '';
  }
  const trimmed = cutToBytes(stem, maxBytes - Buffer.byteLength(ext)).replace(/[. ]+$/u, '');
  return (trimmed === '' ? '_' : trimmed) + ext;
}

/** Drops whole code points (never half a surrogate pair) until the text fits. */
function cutToBytes(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

/** Inserts `suffix` before the extension, keeping the whole name within the byte limit. */
export function withSuffix(name: string, suffix: string): string {
  const { stem, ext } = splitExtension(name);
  const room = MAX_NAME_BYTES - Buffer.byteLength(suffix + ext);
  return limitNameBytes(cutToBytes(stem, room) + suffix + ext);
}
