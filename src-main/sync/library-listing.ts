import type { ICloudAsset } from '../icloud/photos/asset.js';
import type { ListingScope, PhotoSource, ZoneSyncToken } from '../icloud/photos/photo-source.js';
import type { Tracker } from '../tracker/tracker.js';
import { listingFingerprint, type SyncOptions } from './sync-options.js';

import { FINGERPRINT_SETTING } from './setting-keys.js';

export interface LibraryListing {
  mode: 'full' | 'incremental';
  assets: ICloudAsset[];
  /** Change-feed position to store once the run has succeeded. */
  tokens: ZoneSyncToken[];
  albumsOf?: Map<string, string[]>;
}

/**
 * Lists the library: only the changes since the stored tokens when that is safe (the previous run
 * succeeded with the same settings and nothing needs the whole library), otherwise everything.
 */
export async function listLibrary(
  source: PhotoSource,
  tracker: Tracker,
  options: SyncOptions,
  currentRunId: number,
): Promise<LibraryListing> {
  const scope: ListingScope = { includeShared: options.includeShared, includeHidden: options.includeHidden };
  const needsAlbums = options.albums.length > 0 || options.template.includes('{album}');
  const albumsOf = needsAlbums ? await albumMembership(source, options.albums) : undefined;
  const withAlbums = <T extends object>(listing: T) => (albumsOf ? { ...listing, albumsOf } : listing);

  if (canListIncrementally(tracker, options, currentRunId, needsAlbums)) {
    const changes = await source.listChanges(scope, tracker.syncTokens());
    if (changes) return withAlbums({ mode: 'incremental' as const, assets: changes.changed, tokens: changes.nextTokens });
  }
  const assets: ICloudAsset[] = [];
  for await (const asset of source.listAssets(scope)) assets.push(asset);
  return withAlbums({ mode: 'full' as const, assets, tokens: source.currentTokens() });
}

function canListIncrementally(tracker: Tracker, options: SyncOptions, currentRunId: number, needsAlbums: boolean): boolean {
  // "Only the N most recent" and album filters are about the whole library, not what changed.
  if (options.recent !== null || needsAlbums) return false;
  if (tracker.syncTokens().length === 0) return false;
  if (tracker.setting(FINGERPRINT_SETTING) !== listingFingerprint(options)) return false;
  const previous = tracker.runs.lastRuns(5).find((run) => run.id !== currentRunId);
  return previous?.outcome === 'success';
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
