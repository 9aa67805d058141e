import type { Readable } from 'node:stream';
import { silentLogger, type Logger } from '../logger.js';
import type { AssetResource, ICloudAsset } from './asset.js';
import { AlbumReader } from './album-reader.js';
import { AssetLister } from './asset-lister.js';
import { ChangeFeed } from './change-feed.js';
import type { CloudKitTransport } from './cloudkit-transport.js';
import { resolveDownloadSettings, type DownloadSettings } from './download/download-settings.js';
import { ResourceDownload } from './download/resource-download.js';
import { freshDownloadUrl } from './download/url-refresher.js';
import type {
  AlbumInfo,
  DownloadOptions,
  LibraryChanges,
  ListingScope,
  PhotoSource,
  ZoneSyncToken,
} from './photo-source.js';
import { noProblems, ProblemLog, type ListingProblems } from './listing-problems.js';
import { ZoneCatalog } from './zone-catalog.js';

export interface PhotoLibraryOptions {
  /** Reaches CloudKit with the signed-in session (the client's session layer). */
  transport: CloudKitTransport;
  download?: DownloadSettings;
  logger?: Logger;
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
  private tokens: ZoneSyncToken[] = [];
  private problems: ListingProblems = noProblems();

  constructor(options: PhotoLibraryOptions) {
    this.transport = options.transport;
    this.logger = options.logger ?? silentLogger;
    this.catalog = new ZoneCatalog(this.transport, this.logger);
    this.lister = new AssetLister(this.transport, this.catalog, this.logger);
    this.feed = new ChangeFeed(this.transport, this.catalog, this.logger);
    this.albums = new AlbumReader(this.transport, this.catalog, this.logger);
    this.downloadSettings = resolveDownloadSettings(options.download);
  }

  countAssets(scope: ListingScope): Promise<number> {
    return this.lister.count(scope);
  }

  /**
   * Keeps the FIRST sync token seen per zone: anything that changes while the listing runs is
   * then replayed by the next listChanges() instead of being missed between pages.
   */
  async *listAssets(scope: ListingScope): AsyncGenerator<ICloudAsset> {
    const seen = new Map<string, ZoneSyncToken>();
    const problems = new ProblemLog(this.logger);
    yield* this.lister.list(
      scope,
      (zone, token) => {
        const zoneName = zone.zoneId.zoneName;
        if (!seen.has(zoneName)) seen.set(zoneName, { zoneName, library: zone.library, token });
      },
      problems,
    );
    this.tokens = [...seen.values()];
    this.problems = problems.result();
  }

  currentTokens(): ZoneSyncToken[] {
    return this.tokens.map((token) => ({ ...token }));
  }

  listingProblems(): ListingProblems {
    return this.problems;
  }

  listChanges(scope: ListingScope, tokens: ZoneSyncToken[]): Promise<LibraryChanges | null> {
    return this.feed.read(scope, tokens);
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
}
