import { isICloudError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CloudKitDatabase, CloudKitTransport } from './cloudkit-transport.js';
import type { DatabaseSyncToken } from './photo-source.js';
import { protocolChanged } from './photos-errors.js';
import { parseResponse } from './responses/parse-response.js';
import { zonesListResponseSchema } from './responses/response-schemas.js';

/** Stops a server that keeps saying moreComing without moving its token. */
const MAX_PAGES = 50;

export interface DatabasePosition {
  database: CloudKitDatabase;
  /** The database's position now, to store for the next run. */
  token: string;
  /** Zones that changed since the saved token; undefined when there was no usable saved token. */
  changedZones: string[] | undefined;
}

/**
 * `changes/database` (spec 4.12): one request per database says which zones changed since a saved
 * database token, for every zone at once, so an unchanged library costs one request. A token the
 * server does not take is dropped (the caller then reads every zone) and a fresh position is asked for.
 */
export async function databasePosition(
  transport: CloudKitTransport,
  database: CloudKitDatabase,
  saved: readonly DatabaseSyncToken[],
  logger: Logger,
): Promise<DatabasePosition> {
  const savedToken = saved.find((entry) => entry.database === database)?.token;
  if (savedToken) {
    try {
      const { token, zones } = await follow(transport, database, savedToken);
      return { database, token, changedZones: zones };
    } catch (error) {
      // Apple's answer to a bad database token is not recorded; the simulator's is HTTP 400 BAD_REQUEST.
      if (!isICloudError(error, 'PROTOCOL_CHANGED')) throw error;
      logger.warn({ database, detail: error.detail }, 'iCloud did not take the saved database sync token; reading every zone');
    }
  }
  const { token } = await follow(transport, database, undefined);
  return { database, token, changedZones: undefined };
}

async function follow(transport: CloudKitTransport, database: CloudKitDatabase, from: string | undefined): Promise<{ token: string; zones: string[] }> {
  const zones = new Set<string>();
  let token = from;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = parseResponse(zonesListResponseSchema, await transport.post(database, 'changes/database', token ? { syncToken: token } : {}), 'changes/database');
    for (const zone of answer.zones) zones.add(zone.zoneID.zoneName);
    token = answer.syncToken ?? token;
    if (!answer.moreComing) break;
  }
  if (!token) throw protocolChanged('changes/database gave no sync token.');
  return { token, zones: [...zones] };
}
