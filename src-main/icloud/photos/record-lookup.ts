import type { CloudKitTransport } from './cloudkit-transport.js';
import { lookupBody } from './query-bodies.js';
import { parseResponse } from './responses/parse-response.js';
import type { CloudKitRecord } from './responses/record-schema.js';
import { recordsResponseSchema } from './responses/response-schemas.js';
import type { LibraryZone } from './zone-catalog.js';

const LOOKUP_CHUNK = 100;

export interface LookupResult {
  found: CloudKitRecord[];
  /** Records that came back with their own serverErrorCode, purged (NOT_FOUND) or not at all (MISSING). */
  failed: CloudKitRecord[];
}

/** records/lookup (spec 4.11): fetches named records of one zone again, 100 at a time. */
export async function lookUpRecords(transport: CloudKitTransport, zone: LibraryZone, names: readonly string[]): Promise<LookupResult> {
  const result: LookupResult = { found: [], failed: [] };
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    const chunk = unique.slice(i, i + LOOKUP_CHUNK);
    const answer = parseResponse(recordsResponseSchema, await transport.post(zone.database, 'records/lookup', lookupBody(zone.zoneId, chunk)), 'records/lookup');
    const byName = new Map(answer.records.map((record) => [record.recordName, record]));
    for (const name of chunk) {
      const record = byName.get(name);
      if (record && !record.serverErrorCode && record.deleted !== true) result.found.push(record);
      else result.failed.push(record?.serverErrorCode ? record : { recordName: name, serverErrorCode: record ? 'NOT_FOUND' : 'MISSING' });
    }
  }
  return result;
}
