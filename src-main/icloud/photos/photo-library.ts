import type { Readable } from 'node:stream';
import { silentLogger, type Logger } from '../logger.js';
import type { ArrivalPreview, AssetResource, ICloudAsset } from './asset.js';
import { AlbumReader } from './album-reader.js';
import { AssetLister } from './asset-lister.js';
import { ChangeFeed } from './change-feed.js';
import { CompleteListing } from './complete-listing.js';
import { DEFAULT_LISTING_PARALLELISM } from './ranked-pages.js';
import type { CloudKitTransport } from './cloudkit-transport.js';
import { resolveDownloadSettings, type DownloadSettings } from './download/download-settings.js';
import { ResourceDownload } from './download/resource-download.js';
import { downloadThumbnail, type ThumbnailBytes } from './download/thumbnail-download.js';
import { freshDownloadUrl } from './download/url-refresher.js';
import type {
  AlbumInfo,
  DatabaseSyncToken,
  DownloadOptions,
  LibraryChanges,
  ListingScope,
  PhotoSource,
  ZoneSyncToken,
} from './photo-source.js';
import { noProblems, type ListingProblems } from './listing-problems.js';
import { ZoneCatalog } from './zone-catalog.js';

export interface PhotoLibraryOptions {
  /** Reaches CloudKit with the signed-in session (the client's session layer). */
  transport: CloudKitTransport;
  download?: DownloadSettings;
  logger?: Logger;
  /** Pages of a full listing in flight at once (ranked-pages.ts DEFAULT_LISTING_PARALLELISM). */
  listing?: { parallelism?: number };
}

/** The read-only iCloud Photos library: there is deliberately no call that changes anything in iCloud. */
export function createPhotoLibrary(options: PhotoLibraryOptions): PhotoSource {
  return new PhotoLibrary(options);
}

class PhotoLibrary implements PhotoSource {
  private readonly transport: CloudKitTransport;
  private readonly logger: Logger;
  private readonly catalog: ZoneCatalog;
  private readonly lister: AssetLister;
  private readonly feed: ChangeFeed;
  private readonly albums: AlbumReader;
  private readonly downloadSettings;
  private readonly listingParallelism: number;
  private lastListing: CompleteListing | undefined;

  constructor(options: PhotoLibraryOptions) {
    this.transport = options.transport;
    this.logger = options.logger ?? silentLogger;
    this.catalog = new ZoneCatalog(this.transport, this.logger);
    this.lister = new AssetLister(this.transport, this.catalog, this.logger);
    this.feed = new ChangeFeed(this.transport, this.catalog, this.logger);
    this.albums = new AlbumReader(this.transport, this.catalog, this.logger);
    this.downloadSettings = resolveDownloadSettings(options.download);
    this.listingParallelism = options.listing?.parallelism ?? DEFAULT_LISTING_PARALLELISM;
  }

  countAssets(scope: ListingScope): Promise<number> {
    return this.lister.count(scope);
  }

  /** See complete-listing.ts: the listing, then the change feed over its window, then re-reads of holes. */
  listAssets(scope: ListingScope): AsyncGenerator<ICloudAsset> {
    this.lastListing = new CompleteListing(this.lister, this.feed, this.logger, this.listingParallelism);
    return this.lastListing.list(scope);
  }

  currentTokens(): ZoneSyncToken[] {
    return (this.lastListing?.tokens ?? []).map((token) => ({ ...token }));
  }

  currentDatabaseTokens(): DatabaseSyncToken[] {
    return (this.lastListing?.databaseTokens ?? []).map((token) => ({ ...token }));
  }

  listingComplete(): boolean {
    return this.lastListing?.complete ?? false;
  }

  listingProblems(): ListingProblems {
    return this.lastListing?.problems.result() ?? noProblems();
  }

  listChanges(scope: ListingScope, tokens: ZoneSyncToken[], databaseTokens: DatabaseSyncToken[] = []): Promise<LibraryChanges | null> {
    return this.feed.read(scope, tokens, databaseTokens);
  }

  listAlbums(): Promise<AlbumInfo[]> {
    return this.albums.listAlbums();
  }

  listAlbumAssetIds(albumId: string): AsyncIterable<string> {
    return this.albums.listAlbumAssetIds(albumId);
  }

  download(asset: ICloudAsset, resource: AssetResource, options: DownloadOptions): Promise<Readable> {
    const job = new ResourceDownload(
      {
        url: resource.downloadUrl,
        size: resource.size,
        offset: options.offset,
        ...(options.signal ? { signal: options.signal } : {}),
        refreshUrl: () => freshDownloadUrl(this.transport, this.catalog, asset, resource),
        label: `${asset.id}/${resource.version}`,
      },
      this.downloadSettings,
      this.logger,
    );
    return job.start();
  }

  downloadThumbnail(preview: ArrivalPreview, signal?: AbortSignal): Promise<ThumbnailBytes | null> {
    return downloadThumbnail({ transport: this.transport, catalog: this.catalog, settings: this.downloadSettings, logger: this.logger }, preview, signal);
  }
}
