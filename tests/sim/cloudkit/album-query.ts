import { albumRecord, type RenderScope } from './render.js';
import { filterValue, type QueryRequest } from './requests.js';
import type { QueryAnswer } from './query.js';
import { decodeMarker, encodeMarker, pageLimit } from './paging.js';

/** CPLAlbumByPositionLive: every album and folder (roots and deleted ones included, as at Apple), or a folder's children. */
export function listAlbums(scope: RenderScope, zoneName: string, request: QueryRequest): QueryAnswer {
  const parentId = filterValue(request.query.filterBy, 'parentId');
  const albums = scope.library
    .albums(zoneName)
    .filter((album) => parentId === undefined || album.parentId === parentId)
    .sort((a, b) => a.position - b.position);
  const offset = request.continuationMarker ? decodeMarker(request.query.recordType, request.continuationMarker) : 0;
  const limit = pageLimit(request.resultsLimit);
  const page = albums.slice(offset, offset + limit);
  const answer: QueryAnswer = { records: page.map((album) => albumRecord(scope, album)), syncToken: scope.library.zoneSyncToken(zoneName) };
  if (offset + page.length < albums.length) answer.continuationMarker = encodeMarker(request.query.recordType, offset + page.length);
  return answer;
}
