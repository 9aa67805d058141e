import type { SimChange, SimLibrary } from '../library/index.js';
import { albumRecord, assetRecord, masterRecord, type RenderScope } from './render.js';
import { pageLimit } from './paging.js';
import { databaseChangesRequestSchema, lookupRequestSchema, parseBody, zoneChangesRequestSchema } from './requests.js';
import { CkFailure, zoneIdOf } from './wire.js';

/** zones/list, changes/database, changes/zone (4.12) and records/lookup (4.11). */

export type Database = 'private' | 'shared';

/** The owner sees the Shared Library zone in the private database; the shared database is empty for them. */
export function zonesOf(library: SimLibrary, database: Database): string[] {
  return database === 'private' ? library.zoneNames() : [];
}

export function zonesList(library: SimLibrary, database: Database): unknown {
  const zones = zonesOf(library, database).map((zoneName) => ({
    zoneID: zoneIdOf(library, zoneName),
    syncToken: library.zoneSyncToken(zoneName),
    deleted: false,
  }));
  const token = library.databaseChanges();
  return { moreComing: false, syncToken: token.ok ? token.syncToken : '', zones };
}

export function databaseChanges(library: SimLibrary, database: Database, body: Buffer): unknown {
  const request = parseBody(databaseChangesRequestSchema, body);
  const result = library.databaseChanges(request?.syncToken);
  if (!result.ok) throw new CkFailure(400, 'BAD_REQUEST', result.reason);
  const visible = new Set(zonesOf(library, database));
  const zones = result.zoneNames
    .filter((zoneName) => visible.has(zoneName))
    .map((zoneName) => ({ zoneID: zoneIdOf(library, zoneName), syncToken: library.zoneSyncToken(zoneName) }));
  return { syncToken: result.syncToken, moreComing: false, zones };
}

function changeRecord(scope: RenderScope, change: SimChange): Record<string, unknown> {
  switch (change.type) {
    case 'purged':
      return { recordName: change.recordName, deleted: true };
    case 'album':
      return albumRecord(scope, change.album);
    case 'master':
      return masterRecord(scope, change.asset);
    case 'asset':
      return assetRecord(scope, change.asset);
  }
}

export function zoneChanges(scope: RenderScope, database: Database, body: Buffer): unknown {
  const request = parseBody(zoneChangesRequestSchema, body);
  const visible = new Set(zonesOf(scope.library, database));
  const zones = request.zones.map((zone) => {
    const zoneName = zone.zoneID.zoneName;
    const zoneID = zoneIdOf(scope.library, zoneName);
    if (!visible.has(zoneName)) return { zoneID, serverErrorCode: 'ZONE_NOT_FOUND', reason: `Zone ${zoneName} does not exist` };
    const page = scope.library.changes(zoneName, zone.syncToken, pageLimit(zone.resultsLimit));
    if (!page.ok) return { zoneID, serverErrorCode: 'BAD_REQUEST', reason: page.reason };
    return {
      zoneID,
      syncToken: page.syncToken,
      moreComing: page.moreComing,
      records: page.changes.map((change) => changeRecord(scope, change)),
    };
  });
  return { zones };
}

export function lookupRecords(scope: RenderScope, database: Database, body: Buffer): unknown {
  const request = parseBody(lookupRequestSchema, body);
  const zoneName = request.zoneID.zoneName;
  if (!zonesOf(scope.library, database).includes(zoneName)) throw new CkFailure(404, 'ZONE_NOT_FOUND', `Zone ${zoneName} does not exist`);
  const keyed: RenderScope = request.desiredKeys ? { ...scope, desiredKeys: new Set(request.desiredKeys) } : scope;
  const records = request.records.map(({ recordName }) => {
    const asset = scope.library.getAsset(recordName);
    if (asset && asset.zoneName === zoneName) {
      return recordName === asset.masterId ? masterRecord(keyed, asset) : assetRecord(keyed, asset);
    }
    const album = scope.library.getAlbum(recordName);
    if (album && zoneName === scope.library.primaryZoneName) return albumRecord(keyed, album);
    return { recordName, reason: 'Record not found', serverErrorCode: 'NOT_FOUND' };
  });
  return { records };
}
