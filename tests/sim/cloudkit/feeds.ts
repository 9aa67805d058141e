import type { SimChange, SimLibrary } from '../library/index.js';
import { hash32 } from '../library/hash.js';
import { albumRecord, assetRecord, masterRecord, otherRecord, type RenderScope } from './render.js';
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
  const token = library.databaseChanges(undefined, database);
  return { moreComing: false, syncToken: token.ok ? token.syncToken : '', zones };
}

export function databaseChanges(library: SimLibrary, database: Database, body: Buffer): unknown {
  const request = parseBody(databaseChangesRequestSchema, body);
  const result = library.databaseChanges(request?.syncToken, database);
  if (!result.ok) throw new CkFailure(400, 'BAD_REQUEST', result.reason);
  const visible = new Set(zonesOf(library, database));
  const zones = result.zoneNames
    .filter((zoneName) => visible.has(zoneName))
    .map((zoneName) => ({ zoneID: zoneIdOf(library, zoneName), syncToken: library.zoneSyncToken(zoneName) }));
  return { syncToken: result.syncToken, moreComing: false, zones };
}

/** A short, stable change tag for a record known only by name. */
function nameTag(recordName: string): string {
  let h = 0;
  for (const char of recordName) h = hash32(h, char.codePointAt(0) ?? 0);
  return h.toString(36).slice(0, 4).padStart(4, '0');
}

/**
 * A hard-deleted record as Apple sends it (kei, docs/synctoken-reference.md "Hard Delete"):
 * `recordType` present and null, `deleted: true`, the change tag kept, and `fields` absent or null
 * (both seen; the simulator alternates by name).
 */
function tombstone(recordName: string): Record<string, unknown> {
  const base = { recordName, recordType: null, deleted: true, recordChangeTag: nameTag(recordName) };
  return nameTag(recordName).charCodeAt(0) % 2 === 0 ? base : { ...base, fields: null };
}

function changeRecord(scope: RenderScope, zoneName: string, change: SimChange): Record<string, unknown> {
  switch (change.type) {
    case 'purged':
      return tombstone(change.recordName);
    case 'other':
      return otherRecord(scope, zoneName, change.recordType, change.recordName);
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
      records: page.changes.map((change) => changeRecord(scope, zoneName, change)),
    };
  });
  return { zones };
}

export function lookupRecords(scope: RenderScope, database: Database, body: Buffer): unknown {
  const request = parseBody(lookupRequestSchema, body);
  const zoneName = request.zoneID.zoneName;
  if (!zonesOf(scope.library, database).includes(zoneName)) throw new CkFailure(404, 'ZONE_NOT_FOUND', `Zone ${zoneName} does not exist`);
  const keyed: RenderScope = { ...scope, forLookup: true, ...(request.desiredKeys ? { desiredKeys: new Set(request.desiredKeys) } : {}) };
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
