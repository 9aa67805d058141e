import type { Readable } from 'node:stream';
import type { ArrivalPreview, AssetResource, ICloudAsset, LibraryKind } from './asset.js';
import type { ThumbnailBytes } from './download/thumbnail-download.js';
import type { ListingProblems } from './listing-problems.js';

/** Which parts of the library a listing covers. */
export interface ListingScope {
  includeShared: boolean;
  includeHidden: boolean;
}

export interface AlbumInfo {
  id: string;
  name: string;
  /** Album record names of the parents, outermost first (for folder-nested albums). */
  path: string[];
  /** Display names of those parent folders, same order (for building folder paths on disk). */
  pathNames?: string[];
  library: LibraryKind;
}

/** One zone's change-feed position, kept by the engine between runs. */
export interface ZoneSyncToken {
  zoneName: string;
  library: LibraryKind;
  token: string;
}

/**
 * One database's change-feed position (`changes/database`, spec 4.12): with it a run learns in
 * one request whether any zone changed. A namespace of its own, apart from the zone tokens.
 */
export interface DatabaseSyncToken {
  database: 'private' | 'shared';
  token: string;
}

/** What an incremental listing found since the stored tokens. */
export interface LibraryChanges {
  /** Assets added or modified since the token. */
  changed: ICloudAsset[];
  /**
   * Asset ids (ICloudAsset.id) that left the listing: purged, moved to Recently Deleted, or hidden
   * while hidden items are not synced. Purged records come without a type, so this may also hold
   * CPLAsset record names that match no id: ignore ids you do not know.
   */
  removedIds: string[];
  /** Tokens to store once the run has used these changes. */
  nextTokens: ZoneSyncToken[];
  /** Database positions to store with them (taken before the zones were read). */
  nextDatabaseTokens?: DatabaseSyncToken[];
  /** Records the feed could not deliver: while `incomplete` is not empty the tokens must not be stored. */
  problems: ListingProblems;
}

export interface DownloadOptions {
  /** Byte offset to resume from (a Range request). 0 for a fresh download. */
  offset: number;
  signal?: AbortSignal;
}

/**
 * The read-only view of an iCloud Photos library that the sync engine depends on. The real
 * implementation talks to Apple (or the simulator); it never offers a way to change iCloud.
 */
export interface PhotoSource {
  /** Number of assets the listing will yield, for progress. */
  countAssets(scope: ListingScope): Promise<number>;
  /**
   * The whole library, page by page, newest first (personal library, then Shared Library zones,
   * each followed by its hidden items when asked). The same id can come twice (a photo in both
   * libraries, or one that moved between pages while listing): it is one photo.
   */
  listAssets(scope: ListingScope): AsyncIterable<ICloudAsset>;
  /** Zone tokens valid after the last completed listAssets() call. */
  currentTokens(): ZoneSyncToken[];
  /** Database positions to store with currentTokens() (none: the next run reads every zone). */
  currentDatabaseTokens?(): DatabaseSyncToken[];
  /** What the last completed listAssets() call could not deliver (see ListingProblems). */
  listingProblems(): ListingProblems;
  /**
   * Whether the last listAssets() proved it handed on every asset although the library may have
   * changed meanwhile (complete-listing.ts). Without this method a listing counts as complete.
   */
  listingComplete?(): boolean;
  /**
   * Changes since the given tokens. Returns null when a token was rejected or is missing, so the
   * caller must fall back to a full listing. With the database positions of the same run, an
   * unchanged library is known from one `changes/database` per database.
   */
  listChanges(scope: ListingScope, tokens: ZoneSyncToken[], databaseTokens?: DatabaseSyncToken[]): Promise<LibraryChanges | null>;
  listAlbums(): Promise<AlbumInfo[]>;
  /** Asset ids in one album. */
  listAlbumAssetIds(albumId: string): AsyncIterable<string>;
  /**
   * Streams a resource's bytes from `offset`. Retries transient failures and fetches a fresh URL
   * when the one in `resource` has expired. The stream errors if fewer bytes than expected arrive.
   */
  download(asset: ICloudAsset, resource: AssetResource, options: DownloadOptions): Promise<Readable>;
  /**
   * Apple's small JPEG of an arrived asset, for previews (null when it has none). Fetches a fresh
   * URL with records/lookup when the captured one expired or is missing. Optional: sources
   * without it (test stand-ins) show no thumbnails.
   */
  downloadThumbnail?(preview: ArrivalPreview, signal?: AbortSignal): Promise<ThumbnailBytes | null>;
}
