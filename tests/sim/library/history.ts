import type { FeedEntry, OtherRecordType } from './change-log.js';
import { hash32, hashBytes } from './hash.js';
import { assetUuid } from './ids.js';
import type { SimChange } from './types.js';

/**
 * The past of a generated library, as Apple's change feed shows it (kei,
 * docs/synctoken-reference.md; spec 4.12): read from the start, `changes/zone` returns about six
 * records per photo, about a third of them tombstones (`recordType: null`), of every record type
 * interleaved, and long stretches of pages that hold nothing but say `moreComing` (the places of
 * versions superseded since, such as a burst of photos imported and purged later).
 *
 * Per photo, around its own CPLMaster/CPLAsset: one superseded earlier CPLAsset version, a face
 * crop, the tombstone of an older face crop, half the time a person and the tombstone of an album
 * relation it left, half the time a memory or suggestion. In the middle of the history a burst of
 * photos (15 % of the library) was imported, and purged at the end: six superseded places each,
 * then three tombstones. The records are named, never stored: a `history` feed entry is a number.
 */

/** Variants of a history entry: 0-4 belong to a photo of the library, 5-7 to a purged burst photo. */
const FACE_CROP = 0;
const OLD_FACE_CROP = 1;
const PERSON = 2;
const LEFT_ALBUM = 3;
const MEMORY = 4;
const BURST_ASSET = 5;
const BURST_MASTER = 6;
const BURST_FACE_CROP = 7;

/** The burst of photos imported and purged later, as a share of the library. */
export const BURST_SHARE = 0.15;

function uuidLike(seed: number, serial: number, variant: number, tag: string): string {
  const hex = [1, 2, 3, 4].map((n) => hash32(seed, serial, variant, n).toString(16).toUpperCase().padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${tag}-${hex.slice(20, 32)}`;
}

/** Feed entries before a generated photo's CPLMaster (an earlier version of its asset, superseded). */
export function beforePhoto(): FeedEntry[] {
  return [{ type: 'stale' }];
}

/** Feed entries between a generated photo's CPLMaster and its CPLAsset. */
export function besidePhoto(seed: number, serial: number): FeedEntry[] {
  const roll = hash32(seed, serial, 0x415);
  const variants = [FACE_CROP, OLD_FACE_CROP];
  if (roll % 2 === 0) variants.push(PERSON);
  if ((roll >>> 1) % 2 === 0) variants.push(LEFT_ALBUM);
  if ((roll >>> 2) % 2 === 0) variants.push(MEMORY);
  return variants.map((variant) => ({ type: 'history', serial, variant }));
}

/**
 * The places a burst photo took when imported and analysed (master, asset, two face crops, a
 * person, the asset again), all superseded by its purge.
 */
export function burstImported(): FeedEntry[] {
  return Array.from({ length: 6 }, () => ({ type: 'stale' }));
}

/** The tombstones of a burst photo's purge. */
export function burstPurged(burstSerial: number): FeedEntry[] {
  return [BURST_FACE_CROP, BURST_ASSET, BURST_MASTER].map((variant) => ({ type: 'history', serial: burstSerial, variant }));
}

function other(recordType: OtherRecordType, recordName: string): SimChange {
  return { type: 'other', recordType, recordName };
}

/** The record a history entry stands for (names are stable and distinct from every other record's). */
export function historyChange(seed: number, serial: number, variant: number): SimChange {
  switch (variant) {
    case FACE_CROP:
      return other('CPLFaceCrop', uuidLike(seed, serial, variant, 'FACE'));
    case OLD_FACE_CROP:
      return { type: 'purged', recordName: uuidLike(seed, serial, variant, 'FACE') };
    case PERSON:
      return other('CPLPerson', uuidLike(seed, serial, variant, 'PERS'));
    case LEFT_ALBUM:
      return { type: 'purged', recordName: `${assetUuid(seed, serial)}-IN-${uuidLike(seed, serial, variant, 'ALBM')}` };
    case MEMORY:
      return other(serial % 3 === 0 ? 'CPLSuggestion' : 'CPLMemory', uuidLike(seed, serial, variant, 'MEMO'));
    case BURST_ASSET:
      return { type: 'purged', recordName: uuidLike(seed, serial, variant, 'BRST') };
    case BURST_MASTER: {
      // Master names are 28 base64 characters (the original's fileChecksum, spec 5).
      return { type: 'purged', recordName: Buffer.concat([Buffer.from([1]), hashBytes(20, seed, serial, variant)]).toString('base64') };
    }
    default:
      return { type: 'purged', recordName: uuidLike(seed, serial, variant, 'BFAC') };
  }
}
