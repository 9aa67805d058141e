import { hash32, intBetween, pick, unit } from './hash.js';
import { specialNameIndex, SPECIAL_FILENAMES } from './names.js';
import type { MediaKind, SimListingFault } from './types.js';

/** The mutable, compact state of one asset; everything else is derived from it on demand. */
export interface AssetState {
  serial: number;
  /**
   * The serial whose CPLMaster this asset uses: its own, or for an iOS "Duplicate" the asset it was
   * duplicated from (one master, several assets, each with its own edit: kei's notes).
   */
  masterSerial: number;
  zone: 'primary' | 'shared';
  kind: MediaKind;
  live: boolean;
  /** RAW+JPEG pair; which of the two is the original. */
  rawPair: 'none' | 'raw-original' | 'jpeg-original';
  /** undefined = derive the ordinary name; null = no filenameEnc. */
  filename: string | null | undefined;
  assetDate: number;
  addedDate: number;
  timeZoneOffset: number;
  favorite: boolean;
  hidden: boolean;
  deletedAt: number | undefined;
  purged: boolean;
  /** Both records come back as record-level ACCESS_DENIED errors (a revoked shared item). */
  accessDenied: boolean;
  /** A problem of its records in listing pages (and the change feed): see SimListingFault. */
  listingFault: SimListingFault | undefined;
  /** 0 = never edited; each edit adds a new rendition version. */
  editVersion: number;
  /** Original size in bytes when a test asked for one. */
  originalSize: number | undefined;
  /** The master carries no resJPEGThumbRes (a test asked for an item without Apple's thumbnail). */
  noThumbnail?: boolean;
  /** Bumped on each change of the record: feeds recordChangeTag. */
  masterRevision: number;
  assetRevision: number;
  /** Zone change-feed sequence numbers of the current record versions. */
  masterSeq: number;
  assetSeq: number;
  modifiedAt: number;
}

/** The library's fixed "now" for generated dates, so a seed always gives the same library. */
const GENERATED_UNTIL = Date.UTC(2026, 9, 1);
const GENERATED_FROM = Date.UTC(2003, 0, 1);
const DAY_MS = 86_400_000;

/** Offsets east of UTC in seconds, including half- and quarter-hour zones. */
const TIME_ZONE_OFFSETS = [
  -36000, -28800, -25200, -21600, -18000, -14400, -12600, -10800, 0, 0, 3600, 3600, 7200, 10800, 12600, 19800, 20700,
  28800, 32400, 34200, 36000, 45900, 46800, 50400,
];

/** The asset's state when the library is generated: a pure function of (seed, serial). */
export function generatedState(seed: number, serial: number, zone: AssetState['zone'], initial: number): AssetState {
  const special = zone === 'primary' ? specialNameIndex(serial, initial) : undefined;
  const u = unit(seed, serial, 1);
  let kind: MediaKind = u < 0.45 ? 'jpeg' : u < 0.7 ? 'heic' : u < 0.78 ? 'png' : 'mov';
  if (special !== undefined) kind = 'jpeg';
  const isPhoto = kind === 'jpeg' || kind === 'heic';
  const live = special === undefined && isPhoto && unit(seed, serial, 2) < (kind === 'heic' ? 0.6 : 0.15);
  const rawRoll = unit(seed, serial, 3);
  const rawPair =
    special === undefined && kind === 'jpeg' && !live && rawRoll < 0.2
      ? rawRoll < 0.1
        ? 'raw-original'
        : 'jpeg-original'
      : 'none';
  const assetDate = GENERATED_FROM + Math.floor(unit(seed, serial, 4) * (GENERATED_UNTIL - GENERATED_FROM - DAY_MS));
  const addedDate = Math.min(GENERATED_UNTIL, assetDate + Math.floor(unit(seed, serial, 5) * 400 * DAY_MS));
  const deleted = unit(seed, serial, 8) < 0.02;
  return {
    serial,
    masterSerial: serial,
    zone,
    kind,
    live,
    rawPair,
    filename: special === undefined ? undefined : SPECIAL_FILENAMES[special],
    assetDate,
    addedDate,
    timeZoneOffset: pick(TIME_ZONE_OFFSETS, seed, serial, 6),
    favorite: unit(seed, serial, 7) < 0.08,
    hidden: !deleted && unit(seed, serial, 9) < 0.03,
    deletedAt: deleted ? Math.min(GENERATED_UNTIL, addedDate + intBetween(0, 29, seed, serial, 10) * DAY_MS) : undefined,
    purged: false,
    accessDenied: false,
    listingFault: undefined,
    editVersion: kind !== 'png' && unit(seed, serial, 11) < 0.12 ? 1 : 0,
    originalSize: undefined,
    masterRevision: 0,
    assetRevision: 0,
    masterSeq: 0,
    assetSeq: 0,
    modifiedAt: addedDate,
  };
}

/**
 * Whether generation makes this serial a Duplicate, and of which earlier serial. Serial 15 always
 * is (so every library of 16 assets or more has one), then about 3 % of the rest.
 */
export function duplicateSourceOf(seed: number, serial: number): number | undefined {
  if (serial < 15) return undefined;
  if (serial !== 15 && unit(seed, serial, 12) >= 0.03) return undefined;
  return serial - 1 - (hash32(seed, serial, 13) % Math.min(serial, 12));
}

/**
 * Turns a freshly generated state into a Duplicate of `source`: same master, so same kind and
 * capture date, added later, not hidden or trashed. Both copies carry an edit of their own, as
 * after duplicating a photo and editing each copy.
 */
export function makeDuplicate(state: AssetState, source: AssetState): void {
  Object.assign(state, {
    masterSerial: source.serial,
    kind: source.kind,
    live: source.live,
    rawPair: source.rawPair,
    filename: source.filename,
    assetDate: source.assetDate,
    timeZoneOffset: source.timeZoneOffset,
    addedDate: Math.max(source.addedDate + DAY_MS, state.addedDate),
    hidden: false,
    deletedAt: undefined,
    editVersion: 1,
  });
  source.editVersion = Math.max(1, source.editVersion);
}

/**
 * A source must own its master, be a visible photo or video that can be edited, and be in the same
 * zone. A RAW+JPEG pair is never turned into a Duplicate, so the mix of pairs stays as generated.
 */
export function canBeDuplicated(source: AssetState | undefined, copy: AssetState): source is AssetState {
  return (
    !!source && copy.rawPair === 'none' && source.masterSerial === source.serial && source.zone === copy.zone &&
    source.kind !== 'png' && !source.hidden && source.deletedAt === undefined
  );
}

/**
 * Record problems every generated library has (so every test meets them): one asset's master is
 * left off its listing page, another's records come back with a transient per-record error in
 * listings (a lookup serves them), and in a Shared Library of 3 or more one item is revoked
 * (ACCESS_DENIED everywhere). Serials are fixed so the rest of the library is as generated.
 */
export function generatedFault(serial: number, zone: AssetState['zone'], zoneIndex: number, zoneSize: number): Partial<AssetState> {
  if (zone === 'primary' && serial === 7) return { listingFault: { kind: 'omit-master' } };
  if (zone === 'primary' && serial === 11) return { listingFault: { kind: 'error', code: 'TRY_AGAIN_LATER', inLookups: false } };
  if (zone === 'shared' && zoneSize >= 3 && zoneIndex === zoneSize - 1) return { accessDenied: true };
  return {};
}

/** recordChangeTag: short base-36, changes with every revision. */
export function changeTag(seed: number, serial: number, kind: number, revision: number): string {
  return hash32(seed, serial, kind, revision).toString(36).slice(0, 4).padStart(4, '0');
}
