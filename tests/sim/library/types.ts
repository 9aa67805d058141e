import type { Readable } from 'node:stream';
import type { OtherRecordType } from './change-log.js';

/** What the bytes of a resource are. jpeg and png are real decodable images; the rest are deterministic filler. */
export type ContentFormat = 'jpeg' | 'png' | 'heic' | 'mov' | 'raw';

/** The kind of library entry; decides the original's format and which resources exist. */
export type MediaKind = 'jpeg' | 'heic' | 'png' | 'mov';

/** Resource field prefixes as in CloudKit (`res<V>Res`). */
export type ResourceField =
  | 'resOriginal'
  | 'resOriginalAlt'
  | 'resOriginalVidCompl'
  | 'resJPEGThumb'
  | 'resJPEGMed'
  | 'resVidSmall'
  | 'resJPEGFull'
  | 'resVidFull';

export interface SimResource {
  field: ResourceField;
  /** Which record carries it: edited renditions live on the CPLAsset. */
  on: 'master' | 'asset';
  fileChecksum: string;
  referenceChecksum: string;
  wrappingKey: string;
  size: number;
  /** UTI, e.g. public.jpeg. */
  fileType: string;
  format: ContentFormat;
  width: number;
  height: number;
}

export interface SimAsset {
  /** Position in creation order; stable for the life of the library. */
  serial: number;
  /** CPLAsset recordName (UUID). */
  id: string;
  /** CPLMaster recordName = resOriginalFingerprint = the original's fileChecksum. */
  masterId: string;
  /** For an iOS "Duplicate": the serial of the asset whose master it shares. */
  duplicateOf: number | undefined;
  zoneName: string;
  /** Original file name as the server reports it (may be hostile); null = the master has no filenameEnc. */
  filename: string | null;
  kind: MediaKind;
  /** UTI of the original (CPLMaster.itemType). */
  itemType: string;
  isLive: boolean;
  /** RAW+JPEG pair: resOriginalAlt present. */
  isRawPair: boolean;
  assetDate: number;
  addedDate: number;
  /** Seconds east of UTC at capture. */
  timeZoneOffset: number;
  isFavorite: boolean;
  isHidden: boolean;
  isDeleted: boolean;
  /** The shared master is in Recently Deleted: every asset on it is. */
  masterDeleted: boolean;
  /** Set when isDeleted: when it went to Recently Deleted. */
  deletedAt: number | undefined;
  /** Present when edited (resJPEGFull / resVidFull on the asset). */
  adjustmentType: string | undefined;
  /** Video length, seconds (videos only). */
  duration: number | undefined;
  resources: SimResource[];
  masterChangeTag: string;
  assetChangeTag: string;
  /** Last modification, ms. */
  modifiedAt: number;
  /** recordNames of the albums it is in. */
  albumIds: string[];
  /** Its records come back as `{recordName, serverErrorCode: "ACCESS_DENIED", reason}` (spec 4.6). */
  accessDenied: boolean;
  listingFault: SimListingFault | undefined;
}

/**
 * How an asset's records misbehave in listing pages and the change feed (spec 4.6, kei): its master
 * left off the page that has its asset, or both records replaced by `{recordName, serverErrorCode,
 * reason}` (also in records/lookup answers when `inLookups`).
 */
export type SimListingFault = { kind: 'omit-master' } | { kind: 'error'; code: string; inLookups: boolean };

export interface SimAlbum {
  /** UUID, or `----Root-Folder----` / `----Project-Root-Folder----`. */
  id: string;
  name: string;
  /** 0 album, 3 folder, 6 smart album. */
  albumType: number;
  parentId: string | undefined;
  position: number;
  isDeleted: boolean;
  changeTag: string;
}

/** Listing views: the indexes of sections 4.6-4.9 of the protocol notes. */
export type SimView =
  | 'all'
  | 'added'
  | 'favorites'
  | 'videos'
  | 'live'
  | 'screenshots'
  | 'hidden'
  | 'deleted'
  /** Indexes the simulator knows but never fills (panoramas, slo-mo, bursts ...). */
  | 'empty'
  | `album:${string}`;

export interface SimContent {
  size: number;
  format: ContentFormat;
  /** Bytes [start, end) (end defaults to size). Use for small ranges; `stream` for big ones. */
  read(start?: number, end?: number): Buffer;
  /** Streams bytes [start, end) in chunks, never holding the whole range. */
  stream(start?: number, end?: number): Readable;
}

/** A record as the change feed yields it. */
export type SimChange =
  | { type: 'master' | 'asset'; asset: SimAsset }
  | { type: 'album'; album: SimAlbum }
  | { type: 'purged'; recordName: string }
  /** A record of a type downloaders do not use (CPLLibraryInfo, CPLFaceCrop, ...). */
  | { type: 'other'; recordType: OtherRecordType; recordName: string };

export type SimChangesPage =
  | { ok: true; changes: SimChange[]; syncToken: string; moreComing: boolean }
  | { ok: false; reason: string };

export type SimDatabaseChanges =
  | { ok: true; zoneNames: string[]; syncToken: string }
  | { ok: false; reason: string };

/** Inclusive byte ranges for sizes of generated resources. */
export interface SimSizes {
  photo: [number, number];
  video: [number, number];
  raw: [number, number];
  /** Live Photo motion video. */
  liveVideo: [number, number];
  /**
   * Smallest original or edited image (default 16 KiB). Lower it (3 KiB still holds the encoded
   * picture) for libraries of tiny files, as the small-file benchmark uses.
   */
  imageFloor?: number;
}

export interface SimLibraryOptions {
  seed: number;
  /** Assets in PrimarySync. */
  assets: number;
  /** Assets in the SharedSync-<UUID> zone (owner view, private database). Default 0. */
  sharedAssets?: number;
  sizes?: Partial<SimSizes>;
  /** Clock for mutations (modified dates, deletion dates). Default Date.now. */
  now?: () => number;
  /**
   * 'apple' (default): the change feed starts with a past shaped like Apple's (history.ts: about six
   * records per photo, a third tombstones, runs of empty pages). 'minimal': only the current records.
   */
  changeHistory?: 'apple' | 'minimal';
}

export interface AddAssetOptions {
  kind?: MediaKind;
  filename?: string | null;
  assetDate?: number;
  timeZoneOffset?: number;
  zone?: 'primary' | 'shared';
  live?: boolean;
  rawPair?: boolean;
  favorite?: boolean;
  hidden?: boolean;
  /** Size of the original in bytes (raised to the format's minimum). */
  originalSize?: number;
  /** false: the master has no resJPEGThumbRes, so a client has no thumbnail to show. Default true. */
  thumbnail?: boolean;
}

/** An asset reference for the helpers: its UUID, its master id, its serial, or the asset itself. */
export type AssetRef = string | number | SimAsset;

export type ListDirection = 'ASCENDING' | 'DESCENDING';

export interface SimLibrary {
  readonly seed: number;
  /** Moves on with every change: what is derived from the library (a rendered record) holds while it stays. */
  generation(): number;
  /** CloudKit user record name of the library's owner (zoneID.ownerRecordName). */
  readonly ownerRecordName: string;
  /** 'PrimarySync'. */
  readonly primaryZoneName: string;
  /** 'SharedSync-<UUID>': the Shared Library zone, in the owner's private database. */
  readonly sharedZoneName: string;
  /** Zones of the private database. */
  zoneNames(): string[];
  /** Every asset not purged, in creation order; optionally of one zone. Generated lazily. */
  assets(zoneName?: string): Iterable<SimAsset>;
  /** By CPLAsset recordName, CPLMaster recordName or serial; undefined once purged. */
  getAsset(ref: string | number): SimAsset | undefined;
  /** Assets of a view in rank order: ASCENDING gives ranks startRank, startRank+1 ... (rank 0 = newest); DESCENDING gives startRank, startRank-1 ... */
  list(zoneName: string, view: SimView, startRank: number, limit: number, direction?: ListDirection): SimAsset[];
  /** Number of assets in a view (undefined for an unknown zone or album). */
  count(zoneName: string, view: SimView): number | undefined;
  albums(zoneName: string): SimAlbum[];
  getAlbum(id: string): SimAlbum | undefined;
  /** The resource with this fileChecksum (including earlier edit renditions) and its asset. */
  findResource(fileChecksum: string): { asset: SimAsset; resource: SimResource } | undefined;
  /** Exact bytes of a resource, by fileChecksum or resource; undefined when unknown or purged. */
  contentOf(resource: string | SimResource): SimContent | undefined;
  /** The zone's current sync token (what records/query returns). */
  zoneSyncToken(zoneName: string): string;
  /** changes/zone: token undefined = full history, '' = caught up. */
  changes(zoneName: string, syncToken: string | undefined, limit: number): SimChangesPage;
  /** changes/database: zones changed since the token (all zones without one). Each database's tokens are its own. */
  databaseChanges(syncToken?: string, database?: 'private' | 'shared'): SimDatabaseChanges;

  /** Adds an asset (newest unless assetDate is given); default a plain JPEG in PrimarySync. */
  addAsset(options?: AddAssetOptions): SimAsset;
  /** Adds a new edited rendition (resJPEGFull / resVidFull) and changes the asset's recordChangeTag. */
  editAsset(ref: AssetRef): SimAsset;
  /** Soft delete: isDeleted = 1 on asset and master; only listed in Recently Deleted. */
  deleteAsset(ref: AssetRef): SimAsset;
  /** Undo a soft delete (isDeleted disappears). */
  restoreAsset(ref: AssetRef): SimAsset;
  /**
   * Gone for good: the change feed yields `{recordName, recordType: null, deleted: true,
   * recordChangeTag}` for asset, master and the asset's album relations.
   */
  purgeAsset(ref: AssetRef): void;
  hideAsset(ref: AssetRef, hidden?: boolean): SimAsset;
  favoriteAsset(ref: AssetRef, favorite?: boolean): SimAsset;
  /** Its records turn into record-level ACCESS_DENIED errors in every answer (false undoes it). */
  denyAsset(ref: AssetRef, denied?: boolean): SimAsset;
  /** Sets (or with undefined clears) how its records misbehave in listings; not a change in the feed. */
  setListingFault(ref: AssetRef, fault: SimListingFault | undefined): SimAsset;
  /**
   * Photos imported (e.g. from a device) and purged before anyone listed them: their places in the
   * feed hold nothing any more (pages empty while moreComing), then come their tombstones.
   */
  importAndPurge(count: number, zone?: 'primary' | 'shared'): void;
  /** Moves to the SharedSync zone: purged from PrimarySync, same record names in SharedSync. */
  moveToSharedLibrary(ref: AssetRef): SimAsset;
}
