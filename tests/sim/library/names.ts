import { hash32 } from './hash.js';
import type { MediaKind } from './types.js';

/**
 * Names a client must survive: path tricks, Windows reserved and illegal names, over-long names,
 * control characters, NFC vs NFD, duplicates, and no name at all (null: no filenameEnc).
 * Each is given to a JPEG photo, spread over the first assets of the library.
 */
export const SPECIAL_FILENAMES: readonly (string | null)[] = [
  '../../evil.jpg',
  '..\\..\\evil-windows.jpg',
  '/etc/absolute.jpg',
  'sub/dir/name.jpg',
  'CON.jpg',
  'nul.JPG',
  'COM1.jpeg',
  `${'a'.repeat(300)}.JPG`,
  `${'ä'.repeat(140)}.jpg`,
  'back\\slash.jpg',
  'colon:name.jpg',
  'ctrl\u0001\u001f\u007fchars.jpg',
  'tab\tand\nnewline.jpg',
  'question?star*pipe|quote"lt<gt>.jpg',
  'trailing dot.jpg.',
  ' leading and trailing space .jpg ',
  '..',
  '.hidden.jpg',
  'J\u00f6rg.jpg', // NFC
  'Jo\u0308rg.jpg', // NFD: same name to a human, different bytes
  'Caf\u00e9 \u00e0 Montr\u00e9al.jpg',
  'Cafe\u0301 a\u0300 Montre\u0301al.jpg',
  '日本語の写真.jpg',
  '🌅 sunset.jpg',
  'IMG_0001.JPG',
  'IMG_0001.JPG',
  'img_0001.jpg', // differs only by case
  'no-extension',
  null,
];

const EXTENSION: Record<MediaKind, string> = { jpeg: 'JPG', heic: 'HEIC', png: 'PNG', mov: 'MOV' };

/** An ordinary camera-style name; repeats across assets the way IMG_nnnn names do. */
export function ordinaryFilename(seed: number, serial: number, kind: MediaKind): string {
  const number = String(1 + (hash32(seed, serial, 0x4e) % 9999)).padStart(4, '0');
  const prefix = kind === 'png' ? 'Screenshot_' : kind === 'mov' && hash32(seed, serial, 0x4f) % 2 ? 'VID_' : 'IMG_';
  return `${prefix}${number}.${EXTENSION[kind]}`;
}

/** Which special name (index) a serial of the initial library carries, spread evenly. */
export function specialNameIndex(serial: number, initialAssets: number): number | undefined {
  const count = SPECIAL_FILENAMES.length;
  const step = Math.max(1, Math.min(7, Math.floor(initialAssets / count)));
  if (serial % step !== 1 % step) return undefined;
  const index = Math.floor(serial / step);
  return index < count && serial < initialAssets ? index : undefined;
}
