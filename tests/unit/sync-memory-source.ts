import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { noProblems, type ListingProblems } from '../../src-main/icloud/photos/listing-problems.js';
import type { AssetResource, ICloudAsset } from '../../src-main/icloud/photos/asset.js';
import type { AlbumInfo, DownloadOptions, LibraryChanges, ListingScope, PhotoSource, ZoneSyncToken } from '../../src-main/icloud/photos/photo-source.js';

/** Deterministic bytes of a resource: what the "server" holds. */
export function bytesOf(resource: AssetResource): Buffer {
  const out = Buffer.alloc(resource.size);
  let block = createHash('sha256').update(resource.fileChecksum).digest();
  for (let i = 0; i < out.length; i += block.length) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/**
 * A tiny in-test PhotoSource over local bytes, for engine unit tests that must not depend on the
 * network client. Integration tests use the real client and the simulator instead.
 */
export class MemorySource implements PhotoSource {
  downloads: Array<{ version: string; offset: number }> = [];
  /** Resources (by fileChecksum) whose next download fails after this many bytes. */
  failAfter = new Map<string, number>();
  /** errno-style code of that failure (e.g. ENOSPC); a plain reset otherwise. */
  failCode: string | undefined;
  albums: Array<AlbumInfo & { assetIds: string[] }> = [];

  constructor(public assets: ICloudAsset[]) {}

  countAssets(): Promise<number> {
    return Promise.resolve(this.assets.length);
  }
  async *listAssets(scope: ListingScope): AsyncIterable<ICloudAsset> {
    for (const asset of this.assets) {
      if (asset.library === 'shared' && !scope.includeShared) continue;
      if (asset.isHidden && !scope.includeHidden) continue;
      yield asset;
    }
  }
  currentTokens(): ZoneSyncToken[] {
    return [{ zoneName: 'PrimarySync', library: 'personal', token: `t${this.assets.length}` }];
  }
  listingProblems(): ListingProblems {
    return noProblems();
  }
  listChanges(): Promise<LibraryChanges | null> {
    return Promise.resolve(null);
  }
  listAlbums(): Promise<AlbumInfo[]> {
    return Promise.resolve(this.albums);
  }
  async *listAlbumAssetIds(albumId: string): AsyncIterable<string> {
    yield* this.albums.find((a) => a.id === albumId)?.assetIds ?? [];
  }
  download(_asset: ICloudAsset, resource: AssetResource, options: DownloadOptions): Promise<Readable> {
    this.downloads.push({ version: resource.version, offset: options.offset });
    const rest = bytesOf(resource).subarray(options.offset);
    const cut = this.failAfter.get(resource.fileChecksum);
    if (cut === undefined) return Promise.resolve(Readable.from([rest]));
    this.failAfter.delete(resource.fileChecksum);
    const error = Object.assign(new Error(this.failCode ?? 'connection reset'), this.failCode ? { code: this.failCode } : {});
    return Promise.resolve(
      new Readable({
        read() {
          this.push(rest.subarray(0, cut));
          this.destroy(error);
        },
      }),
    );
  }
}
