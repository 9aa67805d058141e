import type { SimView } from '../library/index.js';
import { listedRecord } from './record-cache.js';
import { plainRecord, relationRecord, type RenderScope } from './render.js';
import { filterValue, type QueryRequest } from './requests.js';
import { listAlbums } from './album-query.js';
import { decodeMarker, encodeMarker, pageLimit } from './paging.js';
import { CkFailure, field } from './wire.js';

/** records/query for the photo indexes (4.4-4.9), counts (4.5) and album contents (4.8). */

const LISTINGS: Record<string, SimView | 'smart'> = {
  CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted: 'all',
  CPLAssetAndMasterByAddedDate: 'added',
  CPLAssetAndMasterInSmartAlbumByAssetDate: 'smart',
  CPLBurstStackAssetAndMasterByAssetDate: 'empty',
  CPLAssetAndMasterHiddenByAssetDate: 'hidden',
  CPLAssetAndMasterDeletedByExpungedDate: 'deleted',
};

const SMART_ALBUMS: Record<string, SimView> = {
  FAVORITE: 'favorites',
  VIDEO: 'videos',
  LIVE: 'live',
  SCREENSHOT: 'screenshots',
  PANORAMA: 'empty',
  SLOMO: 'empty',
  TIMELAPSE: 'empty',
};

const COUNTS: Record<string, SimView> = {
  CPLAssetByAssetDateWithoutHiddenOrDeleted: 'all',
  CPLAssetByAddedDate: 'added',
  'CPLAssetInSmartAlbumByAssetDate:Favorite': 'favorites',
  'CPLAssetInSmartAlbumByAssetDate:Video': 'videos',
  'CPLAssetInSmartAlbumByAssetDate:Live': 'live',
  'CPLAssetInSmartAlbumByAssetDate:Screenshot': 'screenshots',
  'CPLAssetInSmartAlbumByAssetDate:Panorama': 'empty',
  'CPLAssetInSmartAlbumByAssetDate:Slomo': 'empty',
  'CPLAssetInSmartAlbumByAssetDate:Timelapse': 'empty',
  CPLAssetBurstStackAssetByAssetDate: 'empty',
  CPLAssetHiddenByAssetDate: 'hidden',
  CPLAssetDeletedByExpungedDate: 'deleted',
};
const ALBUM_COUNT_PREFIX = 'CPLContainerRelationNotDeletedByAssetDate:';
const ALBUM_LISTINGS = new Set(['CPLContainerRelationLiveByAssetDate', 'CPLContainerRelationLiveByPosition']);

export interface QueryAnswer {
  records: unknown[];
  continuationMarker?: string;
  syncToken: string;
}

function pagePosition(request: QueryRequest): { startRank: number; direction: 'ASCENDING' | 'DESCENDING' } {
  const { recordType, filterBy } = request.query;
  const direction = filterValue(filterBy, 'direction') ?? 'ASCENDING';
  if (direction !== 'ASCENDING' && direction !== 'DESCENDING') throw new CkFailure(400, 'BAD_REQUEST', 'Invalid direction');
  if (request.continuationMarker) return { startRank: decodeMarker(recordType, request.continuationMarker), direction };
  const raw = filterValue(filterBy, 'startRank') ?? 0;
  const startRank = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof startRank !== 'number' || !Number.isInteger(startRank) || startRank < 0) {
    throw new CkFailure(400, 'BAD_REQUEST', 'Invalid startRank');
  }
  return { startRank, direction };
}

/** One page of an asset index: `perItem` records per asset (2: master+asset, 3: +relation). */
function assetPage(scope: RenderScope, zoneName: string, view: SimView, request: QueryRequest, albumId?: string): QueryAnswer {
  const perItem = albumId ? 3 : 2;
  const limit = pageLimit(request.resultsLimit);
  const items = Math.max(1, Math.floor(limit / perItem));
  const { startRank, direction } = pagePosition(request);
  const assets = scope.library.list(zoneName, view, startRank, items, direction);
  const relations = albumId ? assets.map((asset, i) => relationRecord(scope, asset, albumId, startRank + i)) : [];
  // An asset whose master is left off the page (a fault: the client looks the master up).
  const withMaster = assets.filter((a) => a.listingFault?.kind !== 'omit-master');
  const records = [...relations, ...withMaster.map((a) => listedRecord(scope, a, 'master')), ...assets.map((a) => listedRecord(scope, a, 'asset'))];
  const total = scope.library.count(zoneName, view) ?? 0;
  const nextRank = direction === 'ASCENDING' ? startRank + assets.length : startRank - assets.length;
  const more = assets.length > 0 && (direction === 'ASCENDING' ? nextRank < total : nextRank >= 0);
  const answer: QueryAnswer = { records, syncToken: scope.library.zoneSyncToken(zoneName) };
  if (more) answer.continuationMarker = encodeMarker(request.query.recordType, nextRank);
  return answer;
}

function countRecords(scope: RenderScope, zoneName: string, request: QueryRequest): QueryAnswer {
  const ids = filterValue(request.query.filterBy, 'indexCountID');
  const list = Array.isArray(ids) ? ids : [ids];
  if (!list.every((id): id is string => typeof id === 'string')) throw new CkFailure(400, 'BAD_REQUEST', 'Invalid indexCountID');
  const records = list.map((id) => {
    const view: SimView | undefined = id.startsWith(ALBUM_COUNT_PREFIX) ? `album:${id.slice(ALBUM_COUNT_PREFIX.length)}` : COUNTS[id];
    const count = view === undefined ? 0 : (scope.library.count(zoneName, view) ?? 0);
    return plainRecord(scope, zoneName, id, 'IndexCountResult', { itemCount: field.int(count) });
  });
  return { records, syncToken: scope.library.zoneSyncToken(zoneName) };
}

function indexingState(scope: RenderScope, zoneName: string): QueryAnswer {
  const running = scope.ctx.conditions().indexing;
  const record = plainRecord(scope, zoneName, `_${scope.library.ownerRecordName.slice(1, 9)}-indexing`, 'CheckIndexingState', {
    progress: field.int(running ? 42 : 100),
    state: field.string(running ? 'RUNNING' : 'FINISHED'),
  });
  return { records: [record], syncToken: scope.library.zoneSyncToken(zoneName) };
}

export function answerQuery(scope: RenderScope, zoneName: string, request: QueryRequest): QueryAnswer {
  const { recordType, filterBy } = request.query;
  if (recordType === 'CheckIndexingState') return indexingState(scope, zoneName);
  if (recordType === 'HyperionIndexCountLookup') return countRecords(scope, zoneName, request);
  if (recordType === 'CPLAlbumByPositionLive') return listAlbums(scope, zoneName, request);
  if (ALBUM_LISTINGS.has(recordType)) {
    const albumId = filterValue(filterBy, 'parentId');
    if (typeof albumId !== 'string' || !scope.library.getAlbum(albumId)) throw new CkFailure(400, 'BAD_REQUEST', 'Unknown parentId');
    return assetPage(scope, zoneName, `album:${albumId}`, request, albumId);
  }
  const listing = LISTINGS[recordType];
  if (!listing) throw new CkFailure(400, 'BAD_REQUEST', `Unknown query record type ${recordType}`);
  if (listing !== 'smart') return assetPage(scope, zoneName, listing, request);
  const smart = filterValue(filterBy, 'smartAlbum');
  const view = typeof smart === 'string' ? SMART_ALBUMS[smart] : undefined;
  if (!view) throw new CkFailure(400, 'BAD_REQUEST', 'Invalid smartAlbum');
  return assetPage(scope, zoneName, view, request);
}
