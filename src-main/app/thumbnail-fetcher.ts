/**
 * After a run: the thumbnails of the recent arrivals, downloaded with the links the run's listing
 * captured (or fresh ones from records/lookup) into the thumbnail cache. A thumbnail that cannot be
 * had is "none"; it never fails the run or stops the others.
 */
import type { ArrivalPreview } from '../icloud/photos/asset.js';
import type { PhotoSource } from '../icloud/photos/photo-source.js';
import type { Logger } from '../icloud/logger.js';
import type { ThumbnailCache } from './thumbnail-cache.js';

/** A few at once: they are small, and the run that needed the connection is over. */
const PARALLEL = 4;

export type ThumbnailOutcome = 'ready' | 'none';

export async function fetchThumbnails(
  source: PhotoSource,
  wanted: ReadonlyMap<string, ArrivalPreview>,
  cache: ThumbnailCache,
  logger: Logger,
  signal?: AbortSignal,
): Promise<Map<string, ThumbnailOutcome>> {
  const outcomes = new Map<string, ThumbnailOutcome>();
  const queue = [...wanted];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next && !signal?.aborted; next = queue.shift()) {
      const [key, preview] = next;
      outcomes.set(key, await fetchOne(source, key, preview, cache, logger, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  return outcomes;
}

async function fetchOne(source: PhotoSource, key: string, preview: ArrivalPreview, cache: ThumbnailCache, logger: Logger, signal?: AbortSignal): Promise<ThumbnailOutcome> {
  if (await cache.has(key)) return 'ready';
  if (!source.downloadThumbnail) return 'none';
  // Apple renders JPEG thumbnails for photos only: a video without a link in the listing has none,
  // and asking records/lookup for it would cost a request per video for nothing.
  if (preview.mediaType === 'video' && !preview.thumbnail) return 'none';
  try {
    const found = await source.downloadThumbnail(preview, signal);
    if (!found) return 'none';
    const kept = await cache.store(key, found.bytes);
    if (!kept) logger.warn({ asset: preview.masterRecordName, uti: found.uti }, 'thumbnail not kept: not a JPEG or PNG image');
    return kept ? 'ready' : 'none';
  } catch (error) {
    // No link in the message: pre-signed links are not logged.
    logger.warn({ asset: preview.masterRecordName, err: error instanceof Error ? error.message : String(error) }, 'thumbnail could not be fetched');
    return 'none';
  }
}
