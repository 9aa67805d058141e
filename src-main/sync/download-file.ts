import { createHash, type Hash } from 'node:crypto';
import { renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileOwnerOf, type AssetResource, type ICloudAsset, type ResourceVersion } from '../icloud/photos/asset.js';
import type { PhotoSource } from '../icloud/photos/photo-source.js';
import type { NewTrackedFile } from '../tracker/tracker-types.js';
import { TEMP_DIR } from './folder-marker.js';
import type { CheckedFolders } from './checked-folders.js';
import type { OpenFile } from './open-file.js';
import { LinkInFolderError, lstatOrNull, openNewTempFile, openTempFile } from './real-folder.js';

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
  /** The run's folder checks under `root` (no write through a link). */
  folders: CheckedFolders;
}

export type RecordedFile = NewTrackedFile;

/** A file complete in its place (downloaded or adopted), and the folder to fsync before the tracker may record it. */
export interface LandedFile {
  file: RecordedFile;
  folder: string;
}

/** The temp file of one resource version, relative to the sync folder: stable across runs, so a later run can resume it. */
export function partRelPath(asset: ICloudAsset, resource: AssetResource): string {
  const id = createHash('sha256').update(`${asset.id}\0${resource.version}\0${resource.fileChecksum}`).digest('hex');
  return `${TEMP_DIR}/${id.slice(0, 32)}.part`;
}

export function partPath(root: string, asset: ICloudAsset, resource: AssetResource): string {
  return join(root, ...partRelPath(asset, resource).split('/'));
}

/**
 * Bytes fetched again just before a resume point and compared with the temp file: after a power
 * cut a temp file can end in zeros (its size was saved, its last blocks were not).
 */
export const RESUME_OVERLAP = 64 * 1024;

/** The temp file's end did not match iCloud's bytes: it is dropped and the download starts over. */
class ResumeMismatch extends Error {}

/**
 * Streams one resource into a temp file inside the sync folder (resuming a partial one with a
 * Range, after checking its last bytes), hashing as it goes; then date it, fsync and rename it
 * into place. The caller fsyncs the folder before recording the file. A crash at any point leaves
 * at most a temp file, never a partial file under a final name. `ctx.root` must be the real sync folder (realFolder): no link on the way is followed
 * (checked-folders.ts, real-folder.ts).
 */
export async function downloadResource(req: DownloadRequest, ctx: DownloadContext): Promise<LandedFile> {
  const { asset, resource } = req;
  const partRel = partRelPath(asset, resource);
  const part = await ctx.folders.path(partRel, true);
  let fetched: Fetched;
  try {
    fetched = await fetchIntoTemp(part, partRel, req, ctx, true);
  } catch (error) {
    if (!(error instanceof ResumeMismatch)) throw error;
    fetched = await fetchIntoTemp(part, partRel, req, ctx, false);
  }
  const { size, sha256 } = fetched;
  if (size !== resource.size) {
    if (size > resource.size) await rm(part, { force: true });
    throw new Error(`Got ${size} of ${resource.size} bytes for ${req.relPath}; the next run resumes it.`);
  }
  const target = await ctx.folders.path(req.relPath, true);
  const existing = await lstatOrNull(target);
  if (existing?.isSymbolicLink()) {
    await rm(part, { force: true });
    throw new LinkInFolderError(req.relPath);
  }
  if (!req.replacing && existing) {
    await rm(part, { force: true });
    throw new Error(`A different file already exists at ${req.relPath}; it was left alone.`);
  }
  // Synchronous, like the file's other quick calls (open-file.ts).
  renameSync(part, target);
  // The rename is durable only once its folder is synced: the record batch does that, once per
  // folder for all the files of a batch, before it records them (record-batch.ts).
  const file: RecordedFile = {
    ...fileIdentity(asset, resource.version),
    version: resource.version,
    relPath: req.relPath,
    size,
    sha256,
    mtimeMs: asset.assetDate,
    fileChecksum: resource.fileChecksum,
    recordedAt: Date.now(),
  };
  return { file, folder: dirname(target) };
}

interface Fetched {
  size: number;
  sha256: string;
}

/**
 * Fills the temp file. With `resume`, an existing temp file is kept: the request starts
 * RESUME_OVERLAP bytes before its end, and those bytes must match what it holds (ResumeMismatch).
 */
async function fetchIntoTemp(part: string, partRel: string, req: DownloadRequest, ctx: DownloadContext, resume: boolean): Promise<Fetched> {
  const { asset, resource } = req;
  const hash = createHash('sha256');
  const date = new Date(asset.assetDate);
  // Usually there is nothing to resume: the new file is opened at once, without a look first.
  const fresh = resume ? openNewTempFile(part, partRel) : null;
  let kept = resume && !fresh ? ((await lstatOrNull(part))?.size ?? 0) : 0;
  if (kept > resource.size) kept = 0;
  // One handle, opened without following links, serves the resume hash, the writes and the size.
  const file = fresh ?? (await openTempFile(part, partRel, kept > 0));
  const from = Math.max(0, kept - RESUME_OVERLAP);
  let body: Readable | undefined;
  let written = 0;
  try {
    // The size seen before the open must be the file's: the returned size is counted from it.
    if (kept > 0 && file.size() !== kept) throw new ResumeMismatch();
    await hashExisting(file, kept, hash);
    const overlap = Buffer.alloc(kept - from);
    if (overlap.length > 0 && (await file.read(overlap, 0, overlap.length, from)) !== overlap.length) throw new ResumeMismatch();
    if (from < resource.size) {
      body = await ctx.source.download(asset, resource, { offset: from, signal: ctx.signal });
      let received = 0;
      const batch = new WriteBatch(file);
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          ctx.signal.throwIfAborted();
          if (received + chunk.length > resource.size - from) throw new Error('iCloud sent more bytes than the file has.');
          // The first bytes repeat the end of the temp file: compare, do not write them again.
          let newBytes = chunk;
          if (received < overlap.length) {
            const repeated = Math.min(chunk.length, overlap.length - received);
            if (chunk.compare(overlap, received, received + repeated, 0, repeated) !== 0) throw new ResumeMismatch();
            newBytes = chunk.subarray(repeated);
          }
          received += chunk.length;
          if (newBytes.length === 0) continue;
          hash.update(newBytes);
          written += newBytes.length;
          // Copied, not kept: the chunk is garbage at once (see WriteBatch); a write is awaited only when a buffer is full.
          const full = batch.add(newBytes);
          if (full) await full;
          ctx.onBytes(newBytes.length);
        }
      } catch (error) {
        // What arrived before the failure goes to disk all the same, so the next run resumes after it.
        await batch.flush().catch(() => undefined);
        throw error;
      }
      await batch.flush();
    }
    // Dated through the open handle (never a path a link could be swapped into), before the fsync
    // that makes bytes and date durable together.
    file.setTimes(date);
    await file.sync();
    // Every write appended (O_APPEND) in full: the size is what was kept plus what was written.
    return { size: kept + written, sha256: hash.digest('hex') };
  } finally {
    body?.destroy();
    file.close();
  }
}

/** Who a recorded file belongs to: the master, or an edit's own identity and the CPLAsset it came from. */
export function fileIdentity(asset: ICloudAsset, version: ResourceVersion): { assetId: string; assetRecord: string | null } {
  return { assetId: fileOwnerOf(asset, version), assetRecord: version === 'edited' ? asset.assetRecordName : null };
}

/** Bytes gathered before one write: TLS hands over chunks of at most 16 KiB, one syscall each was the main cost. */
const WRITE_BATCH_BYTES = 512 * 1024;
/** Write buffers kept for the next download: two per download in flight, for the usual concurrencies. */
const POOLED_BUFFERS = 32;

/**
 * Write buffers reused from one download to the next. Each network chunk is copied into one and
 * dropped at once: a chunk held until its batch was written lived long enough to reach V8's old
 * generation, and the spent chunks then piled up (tens of MB) until a full collection.
 */
const writeBuffers: Buffer[] = [];

function takeWriteBuffer(): Buffer {
  return writeBuffers.pop() ?? Buffer.allocUnsafeSlow(WRITE_BATCH_BYTES);
}

function giveBackWriteBuffer(buffer: Buffer): void {
  if (writeBuffers.length < POOLED_BUFFERS) writeBuffers.push(buffer);
}

/**
 * Network chunks copied into a buffer and written with one write, in order, to the end of the
 * file. One write runs in the background while the next buffer fills: awaiting each write before
 * reading on left the connection idle for the length of every write. A download holds two buffers.
 */
class WriteBatch {
  private buffer: Buffer | undefined = takeWriteBuffer();
  private filled = 0;
  /** The write in flight (at most one: the file is appended to in order). */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: OpenFile) {}

  /**
   * Copies a chunk in. Returns a promise only when a buffer filled up and went to the file (await
   * it before the next chunk); most chunks fit and cost no promise.
   */
  add(chunk: Buffer): Promise<void> | undefined {
    const buffer = (this.buffer ??= takeWriteBuffer());
    const copied = chunk.copy(buffer, this.filled);
    this.filled += copied;
    if (this.filled < buffer.length) return undefined;
    return this.addAfterWrite(chunk.subarray(copied));
  }

  private async addAfterWrite(rest: Buffer): Promise<void> {
    await this.startWrite();
    if (rest.length > 0) await this.add(rest);
  }

  /** Waits for the write before (rethrowing its failure), then starts writing the buffer without waiting for it. */
  private async startWrite(): Promise<void> {
    await this.writing;
    const buffer = this.buffer;
    const filled = this.filled;
    this.buffer = undefined;
    this.filled = 0;
    if (!buffer) return;
    if (filled === 0) {
      giveBackWriteBuffer(buffer);
      return;
    }
    this.writing = writeAll(this.file, buffer.subarray(0, filled)).finally(() => giveBackWriteBuffer(buffer));
    // A failure is reported by the next startWrite or flush, not as an unhandled rejection.
    this.writing.catch(() => undefined);
  }

  /** Writes what is collected and waits until every write has finished; the buffers go back to the pool. */
  async flush(): Promise<void> {
    await this.startWrite();
    await this.writing;
  }
}

async function writeAll(file: OpenFile, bytes: Buffer): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    // A short write (rare: a signal, a nearly full disk) continues with what is left.
    const wrote = await file.write(bytes, done, bytes.length - done);
    if (wrote === 0) throw new Error('The disk accepted no more bytes of a download.');
    done += wrote;
  }
}

/** Feeds the first `length` bytes of a partial temp file to the hash (a resume). */
async function hashExisting(file: OpenFile, length: number, hash: Hash): Promise<void> {
  const buffer = Buffer.alloc(Math.min(length, 1 << 20));
  for (let position = 0; position < length; ) {
    const bytesRead = await file.read(buffer, 0, Math.min(buffer.length, length - position), position);
    if (bytesRead === 0) throw new Error('A temp file shrank while it was being resumed.');
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}
