/**
 * Apple's small JPEG of an asset (resJPEGThumbRes on the master), for the app's "Recent arrivals".
 * It reuses the resource download (retries, exact size, a fresh URL on expiry) and reads the whole,
 * small body into memory. Never writes anything anywhere: the caller caches it.
 */
import type { Logger } from '../../logger.js';
import type { ArrivalPreview, AssetThumbnail } from '../asset.js';
import { readThumbnail } from '../asset-mapper.js';
import type { CloudKitTransport } from '../cloudkit-transport.js';
import { serverError } from '../photos-errors.js';
import { lookUpRecords } from '../record-lookup.js';
import type { ZoneCatalog } from '../zone-catalog.js';
import type { ResolvedDownloadSettings } from './download-settings.js';
import { ResourceDownload } from './resource-download.js';

/** Apple's thumbnails are tens of KB; anything far larger is not a thumbnail worth keeping. */
export const MAX_THUMBNAIL_BYTES = 1024 * 1024;

export interface ThumbnailBytes {
  bytes: Buffer;
  /** Uniform type identifier, e.g. public.jpeg. */
  uti: string;
}

export interface ThumbnailDownloadContext {
  transport: CloudKitTransport;
  catalog: ZoneCatalog;
  settings: ResolvedDownloadSettings;
  logger: Logger;
}

/** The master's current thumbnail, read again with records/lookup (spec 4.11); null when it has none. */
async function lookUpThumbnail(context: ThumbnailDownloadContext, preview: ArrivalPreview): Promise<AssetThumbnail | null> {
  const zone = await context.catalog.find(preview.zoneName);
  if (!zone) return null;
  const { found } = await lookUpRecords(context.transport, zone, [preview.masterRecordName]);
  const master = found.find((record) => record.recordName === preview.masterRecordName);
  return (master && readThumbnail(master)) ?? null;
}

/**
 * The thumbnail's bytes, with the URL captured during the run, or one from records/lookup when
 * that URL expired or the listing had none. Null when Apple has no thumbnail for the asset.
 */
export async function downloadThumbnail(context: ThumbnailDownloadContext, preview: ArrivalPreview, signal?: AbortSignal): Promise<ThumbnailBytes | null> {
  const thumbnail = preview.thumbnail ?? (await lookUpThumbnail(context, preview));
  if (!thumbnail) return null;
  if (thumbnail.size > MAX_THUMBNAIL_BYTES) throw serverError(`The thumbnail of ${preview.masterRecordName} is ${thumbnail.size} bytes: too large for a thumbnail.`);
  const job = new ResourceDownload(
    {
      url: thumbnail.downloadUrl,
      size: thumbnail.size,
      offset: 0,
      ...(signal ? { signal } : {}),
      refreshUrl: async () => {
        const fresh = await lookUpThumbnail(context, preview);
        if (!fresh) throw serverError(`No fresh thumbnail link for ${preview.masterRecordName}: it may have been deleted from iCloud.`);
        return fresh.downloadUrl;
      },
      label: `${preview.masterRecordName}/thumbnail`,
    },
    context.settings,
    context.logger,
  );
  const chunks: Buffer[] = [];
  for await (const chunk of await job.start()) chunks.push(chunk as Buffer);
  return { bytes: Buffer.concat(chunks), uti: thumbnail.uti };
}
