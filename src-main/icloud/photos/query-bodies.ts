import type { ZoneId } from './responses/record-schema.js';

/** Bodies of the CloudKit requests the Photos client sends (spec 4.4-4.11). */

/** Record names of the indexes we read (spec 4.9). */
export const INDEX = {
  all: { list: 'CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted', count: 'CPLAssetByAssetDateWithoutHiddenOrDeleted' },
  hidden: { list: 'CPLAssetAndMasterHiddenByAssetDate', count: 'CPLAssetHiddenByAssetDate' },
} as const;
export type IndexName = keyof typeof INDEX;

/** Each asset is two records (master + asset): 200 records = 100 assets, what icloudpd sends. */
export const ASSET_PAGE_RECORDS = 200;
/** Album contents come as three records per item (relation, asset, master): 66 items, as ips. */
export const ALBUM_PAGE_RECORDS = 198;

/** The fields a downloader needs (spec 4.6 minimum list), and the thumbnail the app previews arrivals with. */
export const DESIRED_KEYS = [
  'recordName', 'recordType', 'recordChangeTag', 'masterRef', 'filenameEnc', 'itemType',
  'resOriginalRes', 'resOriginalFileType', 'resOriginalWidth', 'resOriginalHeight', 'resOriginalFingerprint',
  'resOriginalAltRes', 'resOriginalAltFileType', 'resOriginalVidComplRes', 'resOriginalVidComplFileType',
  'resJPEGFullRes', 'resJPEGFullFileType', 'resVidFullRes', 'resVidFullFileType', 'resJPEGThumbRes', 'resJPEGThumbFileType',
  'adjustmentType', 'assetDate', 'addedDate', 'timeZoneOffset', 'isFavorite', 'isHidden', 'isDeleted',
  'isExpunged', 'dateExpunged', 'duration', 'assetSubtypeV2', 'burstId', 'containerId', 'itemId', 'position',
  'isKeyAsset', 'albumNameEnc', 'albumType', 'parentId', 'sortAscending', 'sortType',
];

/** Only zoneName is required; echoing the rest as received is what browsers do. */
export function zoneRef(zoneId: ZoneId): ZoneId {
  return { ...zoneId };
}

function equals(fieldName: string, type: string, value: unknown) {
  return { fieldName, comparator: 'EQUALS', fieldValue: { type, value } };
}

export function indexingStateQuery(zoneId: ZoneId) {
  return { query: { recordType: 'CheckIndexingState' }, zoneID: zoneRef(zoneId) };
}

/** One count query per (zone, index); `filterBy` is a single object here, not an array (spec 4.5). */
export function countBatch(entries: ReadonlyArray<{ zoneId: ZoneId; countIndex: string }>) {
  return {
    batch: entries.map(({ zoneId, countIndex }) => ({
      resultsLimit: 1,
      zoneWide: true,
      zoneID: zoneRef(zoneId),
      query: {
        recordType: 'HyperionIndexCountLookup',
        filterBy: { fieldName: 'indexCountID', comparator: 'IN', fieldValue: { type: 'STRING_LIST', value: [countIndex] } },
      },
    })),
  };
}

/** ASCENDING from rank 0 is newest first (spec 4.6). */
export function pageQuery(zoneId: ZoneId, recordType: string, startRank: number, resultsLimit: number, extraFilters: object[] = []) {
  return {
    query: {
      recordType,
      filterBy: [equals('startRank', 'INT64', startRank), equals('direction', 'STRING', 'ASCENDING'), ...extraFilters],
    },
    resultsLimit,
    desiredKeys: DESIRED_KEYS,
    zoneID: zoneRef(zoneId),
  };
}

export function albumContentsQuery(zoneId: ZoneId, albumRecordName: string, startRank: number) {
  return pageQuery(zoneId, 'CPLContainerRelationLiveByAssetDate', startRank, ALBUM_PAGE_RECORDS, [
    equals('parentId', 'STRING', albumRecordName),
  ]);
}

export function albumListQuery(zoneId: ZoneId, continuationMarker: string | undefined) {
  return {
    query: { recordType: 'CPLAlbumByPositionLive' },
    zoneID: zoneRef(zoneId),
    desiredKeys: DESIRED_KEYS,
    ...(continuationMarker ? { continuationMarker } : {}),
  };
}

export function lookupBody(zoneId: ZoneId, recordNames: readonly string[]) {
  return { records: recordNames.map((recordName) => ({ recordName })), zoneID: zoneRef(zoneId), desiredKeys: DESIRED_KEYS };
}

export function changesZoneBody(entries: ReadonlyArray<{ zoneId: ZoneId; syncToken: string }>) {
  return { zones: entries.map(({ zoneId, syncToken }) => ({ zoneID: zoneRef(zoneId), syncToken, resultsLimit: ASSET_PAGE_RECORDS })) };
}
