import type { Logger } from '../logger.js';
import type { LibraryKind } from './asset.js';
import type { CloudKitDatabase, CloudKitTransport } from './cloudkit-transport.js';
import { notReady } from './photos-errors.js';
import { indexingStateQuery } from './query-bodies.js';
import { readNumber, readString } from './responses/field-readers.js';
import { parseResponse } from './responses/parse-response.js';
import type { ZoneId } from './responses/record-schema.js';
import { recordsResponseSchema, zonesListResponseSchema } from './responses/response-schemas.js';

/** A library zone and the database it has to be queried in. */
export interface LibraryZone {
  zoneId: ZoneId;
  database: CloudKitDatabase;
  library: LibraryKind;
}

export const PRIMARY_ZONE = 'PrimarySync';

function libraryOf(zoneName: string): LibraryKind | undefined {
  if (zoneName === PRIMARY_ZONE) return 'personal';
  // "SharedSync" without the UUID suffix is not a real zone (ZONE_NOT_FOUND, spec 4.3).
  if (zoneName.startsWith('SharedSync-')) return 'shared';
  return undefined; // AppLibrarySync-* and anything new: not photo libraries
}

/**
 * Finds the library zones (spec 4.3) once per client and remembers which database each lives in:
 * the owner of a Shared Library finds its zone in the private database, a participant in the
 * shared one. Also checks each zone's indexing state once before it is read (spec 4.4).
 */
export class ZoneCatalog {
  private readonly discovered = new Map<CloudKitDatabase, Promise<LibraryZone[]>>();
  private readonly indexed = new Set<string>();

  constructor(
    private readonly transport: CloudKitTransport,
    private readonly logger: Logger,
  ) {}

  /** The personal library zone first, then Shared Library zones when asked for. */
  async zones(includeShared: boolean): Promise<LibraryZone[]> {
    const own = await this.discover('private');
    if (!own.some((zone) => zone.zoneId.zoneName === PRIMARY_ZONE)) {
      throw notReady('The private database has no PrimarySync zone: iCloud Photos is not set up.');
    }
    const wanted = own.filter((zone) => includeShared || zone.library === 'personal');
    if (!includeShared) return wanted;
    const known = new Set(wanted.map((zone) => zone.zoneId.zoneName));
    const joined = (await this.discover('shared')).filter((zone) => zone.library === 'shared' && !known.has(zone.zoneId.zoneName));
    return [...wanted, ...joined];
  }

  /** The zone an asset came from, for refreshing its download URLs. */
  async find(zoneName: string): Promise<LibraryZone | undefined> {
    return (await this.zones(true)).find((zone) => zone.zoneId.zoneName === zoneName);
  }

  async ensureIndexed(zone: LibraryZone): Promise<void> {
    const key = `${zone.database}/${zone.zoneId.zoneName}`;
    if (this.indexed.has(key)) return;
    const answer = parseResponse(
      recordsResponseSchema,
      await this.transport.post(zone.database, 'records/query', indexingStateQuery(zone.zoneId)),
      'CheckIndexingState',
    );
    const stateRecord = answer.records.find((record) => record.recordType === 'CheckIndexingState') ?? answer.records[0];
    const state = stateRecord ? readString(stateRecord, 'state') : undefined;
    if (state !== 'FINISHED') {
      const progress = stateRecord ? readNumber(stateRecord, 'progress') : undefined;
      this.logger.warn({ zone: zone.zoneId.zoneName, state, progress }, 'iCloud is still indexing this library');
      throw notReady(`Zone ${zone.zoneId.zoneName} indexing state is ${state ?? 'unknown'}${progress === undefined ? '' : ` (${progress}%)`}.`);
    }
    this.indexed.add(key);
  }

  private discover(database: CloudKitDatabase): Promise<LibraryZone[]> {
    let pending = this.discovered.get(database);
    if (!pending) {
      pending = this.listZones(database);
      this.discovered.set(database, pending);
      pending.catch(() => this.discovered.delete(database)); // a failure is retried next time
    }
    return pending;
  }

  private async listZones(database: CloudKitDatabase): Promise<LibraryZone[]> {
    const answer = parseResponse(zonesListResponseSchema, await this.transport.post(database, 'zones/list', {}), 'zones/list');
    const zones: LibraryZone[] = [];
    for (const zone of answer.zones) {
      const library = libraryOf(zone.zoneID.zoneName);
      if (zone.deleted || !library) {
        this.logger.debug({ database, zone: zone.zoneID.zoneName, deleted: zone.deleted ?? false }, 'skipping zone');
        continue;
      }
      zones.push({ zoneId: zone.zoneID, database, library });
    }
    this.logger.debug({ database, zones: zones.map((zone) => zone.zoneId.zoneName) }, 'library zones found');
    return zones;
  }
}
