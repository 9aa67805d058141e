import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, open, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AssetResource, ICloudAsset } from '../icloud/photos/asset.js';
import type { PhotoSource } from '../icloud/photos/photo-source.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import { TEMP_DIR } from './folder-marker.js';
import { resolveInside } from './naming/safe-path.js';

export interface DownloadRequest {
  asset: ICloudAsset;
  resource: AssetResource;
  relPath: string;
  /** Our own file at relPath that this download may replace (a re-edited version). */
  replacing: boolean;
}

export interface DownloadContext {
  root: string;
  source: PhotoSource;
  signal: AbortSignal;
  onBytes(count: number): void;
}

export type RecordedFile = Omit<TrackedFile, 'state' | 'noticedAt'>;

/** The temp file of one resource version: stable across runs, so a later run can resume it. */
export function partPath(root: string, asset: ICloudAsset, resource: AssetResource): string {
  const id = createHash('sha256').update(`${asset.id}\0${resource.version}\0${resource.fileChecksum}`).digest('hex');
  return join(root, TEMP_DIR, `${id.slice(0, 32)}.part`);
}

/**
 * Streams one resource into a temp file inside the sync folder (resuming a partial one with a
 * Range), hashing as it goes; then fsync, rename into place and date it. A crash at any point
 * leaves at most a temp file, never a partial file under a final name.
 */
export async function downloadResource(req: DownloadRequest, ctx: DownloadContext): Promise<RecordedFile> {
  const { asset, resource } = req;
  const target = resolveInside(ctx.root, req.relPath);
  const part = partPath(ctx.root, asset, resource);
  await mkdir(dirname(part), { recursive: true });
  const hash = createHash('sha256');
  let offset = await existingSize(part);
  if (offset > resource.size) offset = 0;
  if (offset > 0) await pipeline(createReadStream(part, { end: offset - 1 }), hash, { end: false });

  if (offset < resource.size) {
    // Open the temp file first: whatever fails after this point, one finally closes both ends.
    const file = await open(part, offset > 0 ? 'a' : 'w');
    let body: Readable | undefined;
    try {
      body = await ctx.source.download(asset, resource, { offset, signal: ctx.signal });
      let received = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        ctx.signal.throwIfAborted();
        received += chunk.length;
        if (received > resource.size - offset) throw new Error('iCloud sent more bytes than the file has.');
        hash.update(chunk);
        await file.write(chunk);
        ctx.onBytes(chunk.length);
      }
      await file.sync();
    } finally {
      body?.destroy();
      await file.close();
    }
  }
  const size = (await stat(part)).size;
  if (size !== resource.size) {
    if (size > resource.size) await rm(part, { force: true });
    throw new Error(`Got ${size} of ${resource.size} bytes for ${req.relPath}; the next run resumes it.`);
  }
  await mkdir(dirname(target), { recursive: true });
  if (!req.replacing && (await exists(target))) {
    await rm(part, { force: true });
    throw new Error(`A different file already exists at ${req.relPath}; it was left alone.`);
  }
  await rename(part, target);
  const date = new Date(asset.assetDate);
  await utimes(target, date, date);
  return {
    assetId: asset.id,
    version: resource.version,
    relPath: req.relPath,
    size,
    sha256: hash.digest('hex'),
    mtimeMs: asset.assetDate,
    fileChecksum: resource.fileChecksum,
    recordedAt: Date.now(),
  };
}

async function existingSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
