import { createHash, type Hash } from 'node:crypto';
import { lutimes, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AssetResource, ICloudAsset } from '../icloud/photos/asset.js';
import type { PhotoSource } from '../icloud/photos/photo-source.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import { TEMP_DIR } from './folder-marker.js';
import { ensureInsideRealFolder, lstatOrNull, openTempFile } from './real-folder.js';

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

/** The temp file of one resource version, relative to the sync folder: stable across runs, so a later run can resume it. */
export function partRelPath(asset: ICloudAsset, resource: AssetResource): string {
  const id = createHash('sha256').update(`${asset.id}\0${resource.version}\0${resource.fileChecksum}`).digest('hex');
  return `${TEMP_DIR}/${id.slice(0, 32)}.part`;
}

export function partPath(root: string, asset: ICloudAsset, resource: AssetResource): string {
  return join(root, ...partRelPath(asset, resource).split('/'));
}

/**
 * Streams one resource into a temp file inside the sync folder (resuming a partial one with a
 * Range), hashing as it goes; then fsync, rename into place and date it. A crash at any point
 * leaves at most a temp file, never a partial file under a final name. `ctx.root` must be the
 * real sync folder (realFolder): no link on the way is followed (real-folder.ts).
 */
export async function downloadResource(req: DownloadRequest, ctx: DownloadContext): Promise<RecordedFile> {
  const { asset, resource } = req;
  const partRel = partRelPath(asset, resource);
  const part = await ensureInsideRealFolder(ctx.root, partRel, true);
  const hash = createHash('sha256');
  let offset = (await lstatOrNull(part))?.size ?? 0;
  if (offset > resource.size) offset = 0;
  // One handle, opened without following links, serves the resume hash, the writes and the size.
  const file = await openTempFile(part, partRel, offset > 0);
  let size: number;
  let body: Readable | undefined;
  try {
    await hashExisting(file, offset, hash);
    if (offset < resource.size) {
      body = await ctx.source.download(asset, resource, { offset, signal: ctx.signal });
      let received = 0;
      const batch = new WriteBatch(file);
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          ctx.signal.throwIfAborted();
          received += chunk.length;
          if (received > resource.size - offset) throw new Error('iCloud sent more bytes than the file has.');
          hash.update(chunk);
          if (batch.add(chunk)) await batch.flush();
          ctx.onBytes(chunk.length);
        }
      } catch (error) {
        // What arrived before the failure goes to disk all the same, so the next run resumes after it.
        await batch.flush().catch(() => undefined);
        throw error;
      }
      await batch.flush();
      await file.sync();
    }
    size = (await file.stat()).size;
  } finally {
    body?.destroy();
    await file.close();
  }
  if (size !== resource.size) {
    if (size > resource.size) await rm(part, { force: true });
    throw new Error(`Got ${size} of ${resource.size} bytes for ${req.relPath}; the next run resumes it.`);
  }
  const target = await ensureInsideRealFolder(ctx.root, req.relPath, true);
  if (!req.replacing && (await lstatOrNull(target))) {
    await rm(part, { force: true });
    throw new Error(`A different file already exists at ${req.relPath}; it was left alone.`);
  }
  await rename(part, target);
  const date = new Date(asset.assetDate);
  // lutimes: a link swapped in after the rename gets the date, never the file it points to.
  await lutimes(target, date, date);
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

/** Bytes gathered before one write: TLS hands over chunks of at most 16 KiB, one syscall each was the main cost. */
const WRITE_BATCH_BYTES = 1 << 20;

/** Network chunks collected and written with one writev, in order, to the end of the file. */
class WriteBatch {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly file: FileHandle) {}

  /** Adds a chunk; true when the batch is full and should be flushed. */
  add(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return this.bytes >= WRITE_BATCH_BYTES;
  }

  async flush(): Promise<void> {
    let pending = this.chunks;
    let left = this.bytes;
    this.chunks = [];
    this.bytes = 0;
    while (left > 0) {
      const { bytesWritten } = await this.file.writev(pending);
      left -= bytesWritten;
      // A short write (rare: a signal, a nearly full disk) continues with what is left.
      if (left > 0) pending = [Buffer.concat(pending).subarray(bytesWritten)];
    }
  }
}

/** Feeds the first `length` bytes of a partial temp file to the hash (a resume). */
async function hashExisting(file: FileHandle, length: number, hash: Hash): Promise<void> {
  const buffer = Buffer.alloc(Math.min(length, 1 << 20));
  for (let position = 0; position < length; ) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, length - position), position);
    if (bytesRead === 0) throw new Error('A temp file shrank while it was being resumed.');
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}
