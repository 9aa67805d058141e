import type { AssetResource, ICloudAsset } from '../asset.js';
import { resourcePrefix } from '../asset-mapper.js';
import type { CloudKitTransport } from '../cloudkit-transport.js';
import { serverError } from '../photos-errors.js';
import { lookupBody } from '../query-bodies.js';
import { readAssetId } from '../responses/field-readers.js';
import { parseResponse } from '../responses/parse-response.js';
import type { CloudKitRecord } from '../responses/record-schema.js';
import { recordsResponseSchema } from '../responses/response-schemas.js';
import type { ZoneCatalog } from '../zone-catalog.js';

/** A fresh pre-signed URL for a resource whose URL expired: records/lookup of its record (spec 4.11). */
export async function freshDownloadUrl(
  transport: CloudKitTransport,
  catalog: ZoneCatalog,
  asset: ICloudAsset,
  resource: AssetResource,
): Promise<string> {
  const zone = await catalog.find(asset.zoneName);
  if (!zone) throw serverError(`The library zone ${asset.zoneName} of ${asset.id} is gone.`);
  const field = `${resourcePrefix(resource.version, asset.mediaType === 'video')}Res`;
  // The edit lives on the asset record, with the master as a fallback (as the mapper reads it).
  const names = resource.version === 'edited' ? [asset.assetRecordName, asset.masterRecordName] : [asset.masterRecordName];
  const answer = parseResponse(recordsResponseSchema, await transport.post(zone.database, 'records/lookup', lookupBody(zone.zoneId, names)), 'records/lookup');
  const records = names
    .map((name) => answer.records.find((record) => record.recordName === name))
    .filter((record): record is CloudKitRecord => record !== undefined && !record.serverErrorCode && !record.deleted);
  for (const record of records) {
    const value = readAssetId(record, field);
    if (value) return value.downloadURL;
  }
  throw serverError(`No fresh download link for the ${resource.version} of ${asset.id}: it may have been deleted from iCloud.`);
}
