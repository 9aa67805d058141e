import type { ICloudAsset } from '../icloud/photos/asset.js';
import type { ListingProblems } from '../icloud/photos/listing-problems.js';
import type { DatabaseSyncToken, LibraryChanges, ListingScope, PhotoSource, ZoneSyncToken } from '../icloud/photos/photo-source.js';
import type { Tracker } from '../tracker/tracker.js';
import { listingFingerprint, type SyncOptions } from './sync-options.js';

import { FINGERPRINT_SETTING, POSITION_RUN_SETTING } from './setting-keys.js';

/** Rows handed to the caller at a time during a full listing. */
const PAGE = 500;

export interface LibraryListing {
  mode: 'full' | 'incremental';
  /** Change-feed position to store once the run has succeeded. */
  tokens: ZoneSyncToken[];
  /** The database positions to store with `tokens`. */
  databaseTokens: DatabaseSyncToken[];
  /** What the listing could not deliver: an incomplete listing must not move the position on. */
  problems: ListingProblems;
  /** False when a full listing could not prove it saw every asset (the library kept changing). */
  complete: boolean;
  albumsOf?: Map<string, string[]>;
}

/**
 * Lists the library: only the changes since the stored tokens when that is safe (the previous run
 * succeeded with the same settings and nothing needs the whole library), otherwise everything.
 * Assets go to `onPage` as they arrive (with the album membership, known before the first page), so
 * the listing itself is never held in memory.
 */
export async function listLibrary(
  source: PhotoSource,
  tracker: Tracker,
  options: SyncOptions,
  currentRunId: number,
  onPage: (assets: ICloudAsset[], albumsOf: Map<string, string[]> | undefined) => void,
): Promise<LibraryListing> {
  const scope: ListingScope = { includeShared: options.includeShared, includeHidden: options.includeHidden };
  const needsAlbums = options.albums.length > 0 || options.template.includes('{album}');
  const albumsOf = needsAlbums ? await albumMembership(source, options.albums) : undefined;
  const withAlbums = <T extends object>(listing: T) => (albumsOf ? { ...listing, albumsOf } : listing);

  if (canListIncrementally(tracker, options, currentRunId, needsAlbums)) {
    const retries = tracker.runs.dueRetries(currentRunId);
    // With files due for another try the zones are read from the stored position, so that a photo
    // deleted in iCloud meanwhile leaves the retry queue; otherwise the database positions may
    // answer "nothing changed" in one request per database.
    const databaseTokens = retries.length === 0 ? tracker.databaseTokens() : [];
    const changes = await source.listChanges(scope, tracker.syncTokens(), databaseTokens);
    if (changes) {
      onPage(withDueRetries(tracker, retries, changes), albumsOf);
      return withAlbums({
        mode: 'incremental' as const, tokens: changes.nextTokens, databaseTokens: changes.nextDatabaseTokens ?? [], problems: changes.problems, complete: true,
      });
    }
  }
  let page: ICloudAsset[] = [];
  for await (const asset of source.listAssets(scope)) {
    page.push(asset);
    if (page.length >= PAGE) {
      onPage(page, albumsOf);
      page = [];
    }
  }
  if (page.length > 0) onPage(page, albumsOf);
  return withAlbums({
    mode: 'full' as const, tokens: source.currentTokens(), databaseTokens: source.currentDatabaseTokens?.() ?? [], problems: source.listingProblems(), complete: source.listingComplete?.() ?? true,
  });
}

function canListIncrementally(tracker: Tracker, options: SyncOptions, currentRunId: number, needsAlbums: boolean): boolean {
  // "Only the N most recent" and album filters are about the whole library, not what changed.
  if (options.recent !== null || needsAlbums) return false;
  if (tracker.syncTokens().length === 0) return false;
  if (tracker.setting(FINGERPRINT_SETTING) !== listingFingerprint(options)) return false;
  const previous = tracker.runs.lastRuns(5).find((run) => run.id !== currentRunId);
  // A run whose only trouble was single files still stored its position (they are retried below).
  return previous?.outcome === 'success' || (previous !== undefined && tracker.setting(POSITION_RUN_SETTING) === String(previous.id));
}

/**
 * The changes plus the assets whose failed files are due for another try (tracker retry queue):
 * the change feed would not bring them again. An asset that left iCloud leaves the queue.
 */
function withDueRetries(tracker: Tracker, dueRetries: readonly string[], changes: LibraryChanges): ICloudAsset[] {
  tracker.runs.forgetAssetErrors(changes.removedIds);
  const removed = new Set(changes.removedIds);
  const known = new Set(changes.changed.map((asset) => asset.id));
  const retries = dueRetries.map((json) => JSON.parse(json) as ICloudAsset).filter((asset) => !removed.has(asset.id));
  return [...changes.changed, ...retries.filter((asset) => !known.has(asset.id))];
}

async function albumMembership(source: PhotoSource, wanted: ReadonlyArray<string>): Promise<Map<string, string[]>> {
  const membership = new Map<string, string[]>();
  for (const album of await source.listAlbums()) {
    if (wanted.length > 0 && !wanted.includes(album.name)) continue;
    for await (const assetId of source.listAlbumAssetIds(album.id)) {
      membership.set(assetId, [...(membership.get(assetId) ?? []), album.name]);
    }
  }
  return membership;
}
