/**
 * Puts one file in the container. A small file goes up in one request; a large one as staged
 * blocks with ids derived from its content hash (blob-names.ts), so an interrupted upload resumes
 * with the blocks the service already holds uncommitted (`getBlockList`) and none is sent twice;
 * the block list is committed at the end. The bytes are hashed as they are sent: a file that
 * changed since it was planned is not committed.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { azureCodeOf, withRetries, type RetryOptions } from './azure-errors.js';
import type { PlannedUpload } from './archive-planner.js';
import { blockIdOf, contentTypeOf } from './blob-names.js';

/** 4 MiB blocks: 50,000 of them make 195 GiB, far above any photo or video. */
export const BLOCK_SIZE = 4 * 1024 * 1024;
/** Blocks of one file in flight at once. */
const BLOCKS_IN_FLIGHT = 4;

export interface UploadOptions {
  tier: string;
  metadata: Record<string, string>;
  retry: RetryOptions;
  /** Bytes sent (for progress). */
  onBytes?: (bytes: number) => void;
  blockSize?: number;
}

export interface UploadResult {
  etag: string;
  /** Bytes sent in this run (less than the size when blocks were already there). */
  bytesSent: number;
  /** Blocks the service already held from an interrupted upload. */
  blocksReused: number;
}

/** The file is no longer what was planned (changed while archiving): nothing was committed. */
export class FileChangedError extends Error {
  constructor(relPath: string) {
    super(`${relPath} changed while it was being archived; it is archived on the next run.`);
    this.name = 'FileChangedError';
  }
}

export async function uploadFile(container: ContainerClient, file: PlannedUpload, options: UploadOptions): Promise<UploadResult> {
  const blob = container.getBlockBlobClient(file.blobName);
  const blockSize = options.blockSize ?? BLOCK_SIZE;
  return file.size <= blockSize ? putWhole(blob, file, options) : putInBlocks(blob, file, blockSize, options);
}

async function putWhole(blob: BlockBlobClient, file: PlannedUpload, options: UploadOptions): Promise<UploadResult> {
  const handle = await open(file.fullPath, 'r');
  let data: Buffer;
  try {
    data = await handle.readFile();
  } finally {
    await handle.close();
  }
  if (data.length !== file.size || sha256(data) !== file.sha256) throw new FileChangedError(file.relPath);
  // No Content-MD5 of ours: Put Blob has the service compute and keep it. A blob already there holds
  // these very bytes (the name is the content's), so writing it again changes nothing.
  const response = await withRetries(
    () => blob.upload(data, data.length, { blobHTTPHeaders: { blobContentType: contentTypeOf(file.relPath) }, metadata: options.metadata, tier: options.tier }),
    options.retry,
  );
  options.onBytes?.(data.length);
  return { etag: response.etag ?? '', bytesSent: data.length, blocksReused: 0 };
}

async function putInBlocks(blob: BlockBlobClient, file: PlannedUpload, blockSize: number, options: UploadOptions): Promise<UploadResult> {
  const count = Math.ceil(file.size / blockSize);
  const ids = Array.from({ length: count }, (_, i) => blockIdOf(file.sha256, i));
  const held = await blocksHeld(blob, options);
  if (held.committed) return { etag: held.committed, bytesSent: 0, blocksReused: 0 };

  const contentHash = createHash('sha256');
  const contentMd5 = createHash('md5');
  const inFlight = new Set<Promise<void>>();
  let bytesSent = 0;
  let blocksReused = 0;
  let failure: unknown = null;
  const handle = await open(file.fullPath, 'r');
  try {
    for (let index = 0; index < count && failure === null; index++) {
      const length = Math.min(blockSize, file.size - index * blockSize);
      const data = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(data, 0, length, index * blockSize);
      if (bytesRead !== length) throw new FileChangedError(file.relPath);
      contentHash.update(data);
      contentMd5.update(data);
      const id = ids[index] ?? '';
      if (held.uncommitted.get(id) === length) {
        blocksReused++;
        continue;
      }
      const sending = withRetries(() => blob.stageBlock(id, data, length), options.retry).then(
        () => {
          bytesSent += length;
          options.onBytes?.(length);
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      const tracked = sending.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= BLOCKS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await handle.close();
  }
  if (failure !== null) throw failure;
  if (contentHash.digest('hex') !== file.sha256) throw new FileChangedError(file.relPath);
  const response = await withRetries(
    () =>
      blob.commitBlockList(ids, {
        // Put Block List stores no MD5 of its own: this one lets a download check the whole file.
        blobHTTPHeaders: { blobContentType: contentTypeOf(file.relPath), blobContentMD5: contentMd5.digest() },
        metadata: options.metadata,
        tier: options.tier,
      }),
    options.retry,
  );
  return { etag: response.etag ?? '', bytesSent, blocksReused };
}

/**
 * What the service holds of this blob: its ETag when it is already committed (an earlier run
 * committed it, then stopped before recording it), else the uncommitted blocks by id and size.
 */
async function blocksHeld(blob: BlockBlobClient, options: UploadOptions): Promise<{ committed: string | null; uncommitted: Map<string, number> }> {
  try {
    const list = await withRetries(() => blob.getBlockList('all'), options.retry);
    if ((list.committedBlocks ?? []).length > 0) {
      const properties = await withRetries(() => blob.getProperties(), options.retry);
      return { committed: properties.etag ?? '', uncommitted: new Map() };
    }
    return { committed: null, uncommitted: new Map((list.uncommittedBlocks ?? []).map((b) => [b.name, b.size])) };
  } catch (error) {
    if (azureCodeOf(error) === 'BlobNotFound') return { committed: null, uncommitted: new Map() };
    throw error;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

