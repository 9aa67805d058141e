import type { Logger } from '../logger.js';
import { masterNameOf } from './asset-mapper.js';
import type { CloudKitTransport } from './cloudkit-transport.js';
import { isPermanentRecordError } from './listing-problems.js';
import type { AlbumInfo } from './photo-source.js';
import { albumContentsQuery, albumListQuery } from './query-bodies.js';
import { readEncodedText, readFlag, readNumber, readString } from './responses/field-readers.js';
import { lookUpRecords } from './record-lookup.js';
import { parseResponse } from './responses/parse-response.js';
import type { CloudKitRecord } from './responses/record-schema.js';
import { recordsResponseSchema } from './responses/response-schemas.js';
import { PRIMARY_ZONE, type ZoneCatalog } from './zone-catalog.js';

const ROOT_FOLDERS = new Set(['----Root-Folder----', '----Project-Root-Folder----']);
const FOLDER_TYPE = 3;
/** Guards against a parentId cycle in odd data. */
const MAX_FOLDER_DEPTH = 32;

/**
 * Albums of the personal library (spec 4.8). Shared Library zones are not read for albums, as
 * icloudpd does: the albums of a Shared Library live in its participants' own libraries.
 */
export class AlbumReader {
  constructor(
    private readonly transport: CloudKitTransport,
    private readonly catalog: ZoneCatalog,
    private readonly logger: Logger,
  ) {}

  async listAlbums(): Promise<AlbumInfo[]> {
    const zone = await this.primaryZone();
    const records: CloudKitRecord[] = [];
    let marker: string | undefined;
    do {
      const body = albumListQuery(zone.zoneId, marker);
      const page = parseResponse(recordsResponseSchema, await this.transport.post(zone.database, 'records/query', body), 'the album list');
      records.push(...page.records.filter((record) => record.recordType === 'CPLAlbum' && !record.serverErrorCode && !record.deleted));
      marker = page.continuationMarker;
    } while (marker);

    const live = records.filter((record) => !ROOT_FOLDERS.has(record.recordName) && !readFlag(record, 'isDeleted'));
    const byName = new Map(live.map((record) => [record.recordName, record]));
    const albums: AlbumInfo[] = [];
    for (const record of live) {
      if (readNumber(record, 'albumType') === FOLDER_TYPE) continue;
      const parents = this.parentsOf(record, byName);
      albums.push({
        id: record.recordName,
        name: readEncodedText(record, 'albumNameEnc') ?? record.recordName,
        path: parents.map((parent) => parent.recordName),
        pathNames: parents.map((parent) => readEncodedText(parent, 'albumNameEnc') ?? parent.recordName),
        library: 'personal',
      });
    }
    return albums;
  }

  /**
   * ICloudAsset ids (master names) of an album's items, page by page (three records per item). Asset
   * records that came with a transient error are fetched again at the end; what still fails is only
   * logged (the photo is then listed outside this album).
   */
  async *listAlbumAssetIds(albumId: string): AsyncGenerator<string> {
    const zone = await this.primaryZone();
    const errored: string[] = [];
    let startRank = 0;
    for (;;) {
      const body = albumContentsQuery(zone.zoneId, albumId, startRank);
      const page = parseResponse(recordsResponseSchema, await this.transport.post(zone.database, 'records/query', body), 'the album contents');
      const items = page.records.filter((record) => record.recordType === 'CPLContainerRelation').length;
      const assets = page.records.filter((record) => record.recordType === 'CPLAsset' && !record.serverErrorCode);
      // Error records name the asset (a UUID) or the master (its fingerprint): only assets are looked up.
      errored.push(...page.records.filter((r) => r.serverErrorCode && !isPermanentRecordError(r) && UUID.test(r.recordName)).map((r) => r.recordName));
      const advance = items || assets.length;
      if (advance === 0) break;
      startRank += advance;
      yield* albumIds(assets);
    }
    if (errored.length === 0) return;
    const again = await lookUpRecords(this.transport, zone, errored);
    if (again.failed.length > 0) this.logger.warn({ album: albumId, unreadable: again.failed.length }, 'some album items could not be read; they are listed outside the album');
    yield* albumIds(again.found.filter((record) => record.recordType === 'CPLAsset'));
  }

  /** Enclosing folders, outermost first, stopping at the root folders. */
  private parentsOf(record: CloudKitRecord, byName: ReadonlyMap<string, CloudKitRecord>): CloudKitRecord[] {
    const parents: CloudKitRecord[] = [];
    let parentId = readString(record, 'parentId');
    while (parentId !== undefined && parents.length < MAX_FOLDER_DEPTH) {
      const parent = byName.get(parentId);
      if (!parent) {
        if (!ROOT_FOLDERS.has(parentId)) this.logger.debug({ album: record.recordName }, 'album parent folder not found');
        break;
      }
      parents.unshift(parent);
      parentId = readString(parent, 'parentId');
    }
    return parents;
  }

  private async primaryZone() {
    const zone = (await this.catalog.zones(false)).find((candidate) => candidate.zoneId.zoneName === PRIMARY_ZONE);
    if (!zone) throw new Error('unreachable: ZoneCatalog.zones always includes PrimarySync');
    return zone;
  }
}

/** CPLAsset record names are UUIDs (spec 4.7); master names are 28-character fingerprints. */
const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/** The master names of live album items. */
function* albumIds(assets: readonly CloudKitRecord[]): Generator<string> {
  for (const asset of assets) {
    const id = masterNameOf(asset);
    if (id !== undefined && !readFlag(asset, 'isDeleted')) yield id;
  }
}
