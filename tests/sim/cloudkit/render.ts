import { hash32 } from '../library/hash.js';
import { downloadUrl } from '../content/signed-url.js';
import type { SimAlbum, SimAsset, SimLibrary, SimResource } from '../library/index.js';
import type { SimContext } from '../types.js';
import { field, recordEnvelope, zoneIdOf, type Fields } from './wire.js';

/** Everything a response needs to turn library objects into CloudKit records. */
export interface RenderScope {
  library: SimLibrary;
  ctx: SimContext;
  desiredKeys?: ReadonlySet<string>;
  /** A records/lookup answer: listing faults that only hit pages and the feed do not apply. */
  forLookup?: boolean;
  /** Stands in for the signed download URL (record-cache.ts renders a record once, with a slot for each URL). */
  urlSlot?: (resource: SimResource) => string;
}

type RecordJson = Record<string, unknown>;

/** The pre-signed link to a resource, valid for the simulator's URL lifetime from now. */
export function signedUrlOf(scope: RenderScope, asset: SimAsset, resource: SimResource): string {
  const expiresAt = Date.now() + scope.ctx.downloadUrlTtlMs();
  return downloadUrl(scope.library, scope.ctx.contentBaseUrl(), resource, asset.zoneName, expiresAt, asset.id);
}

function resourceFields(scope: RenderScope, asset: SimAsset, resource: SimResource): Fields {
  const url = scope.urlSlot ? scope.urlSlot(resource) : signedUrlOf(scope, asset, resource);
  const v = resource.field;
  return {
    [`${v}Res`]: {
      value: {
        fileChecksum: resource.fileChecksum,
        size: resource.size,
        wrappingKey: resource.wrappingKey,
        referenceChecksum: resource.referenceChecksum,
        downloadURL: url,
      },
      type: 'ASSETID',
    },
    [`${v}FileType`]: field.string(resource.fileType),
    [`${v}Width`]: field.int(resource.width),
    [`${v}Height`]: field.int(resource.height),
    [`${v}Fingerprint`]: field.string(resource.fileChecksum),
  };
}

/** Some masters carry the name as a plain STRING, as seen in the wild: clients must read both. */
function filenameField(asset: SimAsset): Fields {
  if (asset.filename === null) return {};
  const plain = hash32(asset.duplicateOf ?? asset.serial, 0xf11e) % 16 === 0;
  return { filenameEnc: plain ? field.string(asset.filename) : field.bytes(asset.filename) };
}

/**
 * A record the server will not hand out carries its own error in place of the record (kei saw
 * ACCESS_DENIED on one revoked shared asset inside an ordinary page): clients skip it, keep the rest.
 */
function deniedRecord(recordName: string): RecordJson {
  return { recordName, serverErrorCode: 'ACCESS_DENIED', reason: 'Access to this record was revoked' };
}

/** The record-level error this asset's records carry in this answer, if any. */
function recordError(scope: RenderScope, asset: SimAsset, recordName: string): RecordJson | undefined {
  if (asset.accessDenied) return deniedRecord(recordName);
  const fault = asset.listingFault;
  if (fault?.kind !== 'error' || (scope.forLookup && !fault.inLookups)) return undefined;
  return { recordName, serverErrorCode: fault.code, reason: 'Please retry this request later' };
}

export function masterRecord(scope: RenderScope, asset: SimAsset): RecordJson {
  const error = recordError(scope, asset, asset.masterId);
  if (error) return error;
  let fields: Fields = {
    ...filenameField(asset),
    itemType: field.string(asset.itemType),
    dataClassType: field.int(1),
    originalOrientation: field.int(1),
  };
  for (const resource of asset.resources) {
    if (resource.on === 'master') fields = { ...fields, ...resourceFields(scope, asset, resource) };
  }
  if (asset.masterDeleted) fields.isDeleted = field.int(1);
  return recordEnvelope(
    {
      recordName: asset.masterId,
      recordType: 'CPLMaster',
      fields,
      changeTag: asset.masterChangeTag,
      created: asset.addedDate,
      modified: asset.modifiedAt,
      zoneID: zoneIdOf(scope.library, asset.zoneName),
    },
    scope.desiredKeys,
  );
}

export function assetRecord(scope: RenderScope, asset: SimAsset): RecordJson {
  const error = recordError(scope, asset, asset.id);
  if (error) return error;
  const zoneID = zoneIdOf(scope.library, asset.zoneName);
  let fields: Fields = {
    masterRef: {
      value: { recordName: asset.masterId, action: 'DELETE_SELF', zoneID: { zoneName: zoneID.zoneName, ownerRecordName: zoneID.ownerRecordName } },
      type: 'REFERENCE',
    },
    assetDate: field.timestamp(asset.assetDate),
    addedDate: field.timestamp(asset.addedDate),
    timeZoneOffset: field.int(asset.timeZoneOffset),
    isFavorite: field.int(asset.isFavorite ? 1 : 0),
    isHidden: field.int(asset.isHidden ? 1 : 0),
    orientation: field.int(1),
  };
  if (asset.isDeleted) fields.isDeleted = field.int(1);
  if (asset.duration !== undefined) fields.duration = field.int(asset.duration);
  if (asset.adjustmentType) fields.adjustmentType = field.string(asset.adjustmentType);
  for (const resource of asset.resources) {
    if (resource.on === 'asset') fields = { ...fields, ...resourceFields(scope, asset, resource) };
  }
  return recordEnvelope(
    {
      recordName: asset.id,
      recordType: 'CPLAsset',
      fields,
      changeTag: asset.assetChangeTag,
      created: asset.addedDate,
      modified: asset.modifiedAt,
      zoneID,
    },
    scope.desiredKeys,
  );
}

export function albumRecord(scope: RenderScope, album: SimAlbum): RecordJson {
  const fields: Fields = {
    albumNameEnc: field.bytes(album.name),
    albumType: field.int(album.albumType),
    position: field.int(album.position),
    sortAscending: field.int(1),
    sortType: field.int(0),
    sortTypeExt: field.int(0),
    recordModificationDate: field.timestamp(Date.UTC(2026, 0, 1)),
  };
  if (album.parentId) fields.parentId = field.string(album.parentId);
  if (album.isDeleted) fields.isDeleted = field.int(1);
  const created = Date.UTC(2026, 0, 1);
  return recordEnvelope(
    {
      recordName: album.id,
      recordType: 'CPLAlbum',
      fields,
      changeTag: album.changeTag,
      created,
      modified: created,
      zoneID: zoneIdOf(scope.library, scope.library.primaryZoneName),
    },
    scope.desiredKeys,
  );
}

export function relationRecord(scope: RenderScope, asset: SimAsset, albumId: string, position: number): RecordJson {
  return recordEnvelope(
    {
      recordName: `${asset.id}-IN-${albumId}`,
      recordType: 'CPLContainerRelation',
      fields: {
        containerId: field.string(albumId),
        itemId: field.string(asset.id),
        position: field.int(position),
        isKeyAsset: field.int(position === 0 ? 1 : 0),
      },
      changeTag: asset.assetChangeTag,
      created: asset.addedDate,
      modified: asset.modifiedAt,
      zoneID: zoneIdOf(scope.library, asset.zoneName),
    },
    scope.desiredKeys,
  );
}

/**
 * A record of a type downloaders do not use (CPLLibraryInfo, CPLFaceCrop, CPLPerson, ...), as it
 * comes interleaved in the change feed. Its fields are placeholders: nothing should read them.
 */
export function otherRecord(scope: RenderScope, zoneName: string, recordType: string, recordName: string): RecordJson {
  const now = Date.now();
  const fields: Fields =
    recordType === 'CPLLibraryInfo'
      ? { photoCount: field.int(0), videoCount: field.int(0), albumCount: field.int(0) }
      : { simPlaceholder: field.string(recordType) };
  return recordEnvelope({ recordName, recordType, fields, changeTag: (now % 1_679_616).toString(36).padStart(4, '0'), created: now, modified: now, zoneID: zoneIdOf(scope.library, zoneName) });
}

/** Records without content of their own: the indexing state and count results. */
export function plainRecord(scope: RenderScope, zoneName: string, recordName: string, recordType: string, fields: Fields): RecordJson {
  const now = Date.now();
  return recordEnvelope({ recordName, recordType, fields, changeTag: '0', created: now, modified: now, zoneID: zoneIdOf(scope.library, zoneName) });
}
