import type { Logger } from '../logger.js';
import type { ICloudAsset } from './asset.js';
import { mapAssetPair } from './asset-mapper.js';
import type { CloudKitTransport } from './cloudkit-transport.js';
import type { ListingScope } from './photo-source.js';
import { protocolChanged } from './photos-errors.js';
import { ASSET_PAGE_RECORDS, countBatch, INDEX, pageQuery, type IndexName } from './query-bodies.js';
import { RecordPairer, type RecordPair } from './record-pairer.js';
import { readNumber } from './responses/field-readers.js';
import { parseResponse } from './responses/parse-response.js';
import type { CloudKitRecord } from './responses/record-schema.js';
import { batchResponseSchema, recordsResponseSchema, type RecordsResponse } from './responses/response-schemas.js';
import type { LibraryZone, ZoneCatalog } from './zone-catalog.js';

/** Called with each page's zone sync token. */
export type TokenSink = (zone: LibraryZone, token: string) => void;

/** Drops records that carry their own error (e.g. one revoked shared item) or are deleted. */
export function usableRecords(records: readonly CloudKitRecord[], logger: Logger): CloudKitRecord[] {
  return records.filter((record) => {
    if (record.serverErrorCode) {
      logger.warn({ recordName: record.recordName, serverErrorCode: record.serverErrorCode }, 'skipping a record iCloud could not serve');
      return false;
    }
    return record.deleted !== true;
  });
}

/** Maps pairs to assets, logging (not failing on) pairs that cannot become an asset. */
export function mapPairs(pairs: readonly RecordPair[], zone: LibraryZone, logger: Logger): ICloudAsset[] {
  const assets: ICloudAsset[] = [];
  for (const { master, asset } of pairs) {
    const result = mapAssetPair(master, asset, { zoneName: zone.zoneId.zoneName, library: zone.library });
    if (result.ok) assets.push(result.asset);
    else logger.warn({ masterRecordName: master.recordName, reason: result.reason }, 'skipping an asset');
  }
  return assets;
}

function indexesFor(scope: ListingScope): IndexName[] {
  return scope.includeHidden ? ['all', 'hidden'] : ['all'];
}

/**
 * Full listing and counting (spec 4.5, 4.6): pages of 100 assets by startRank, newest first, one
 * page in memory at a time.
 */
export class AssetLister {
  constructor(
    private readonly transport: CloudKitTransport,
    private readonly catalog: ZoneCatalog,
    private readonly logger: Logger,
  ) {}

  async count(scope: ListingScope): Promise<number> {
    const zones = await this.catalog.zones(scope.includeShared);
    let total = 0;
    for (const database of ['private', 'shared'] as const) {
      const entries = zones
        .filter((zone) => zone.database === database)
        .flatMap((zone) => indexesFor(scope).map((index) => ({ zone, countIndex: INDEX[index].count })));
      if (entries.length === 0) continue;
      for (const { zone } of entries) await this.catalog.ensureIndexed(zone);
      const body = countBatch(entries.map(({ zone, countIndex }) => ({ zoneId: zone.zoneId, countIndex })));
      const answer = parseResponse(batchResponseSchema, await this.transport.post(database, 'internal/records/query/batch', body), 'the count query');
      if (answer.batch.length !== entries.length) {
        throw protocolChanged(`The count query sent ${answer.batch.length} answers for ${entries.length} questions.`);
      }
      answer.batch.forEach((result, i) => {
        const record = result.records?.[0];
        const count = record ? readNumber(record, 'itemCount') : undefined;
        if (count === undefined) {
          this.logger.warn({ index: entries[i]?.countIndex, serverErrorCode: result.serverErrorCode }, 'no count for an index; counting it as 0');
        }
        total += count ?? 0;
      });
    }
    return total;
  }

  async *list(scope: ListingScope, onToken: TokenSink): AsyncGenerator<ICloudAsset> {
    for (const zone of await this.catalog.zones(scope.includeShared)) {
      await this.catalog.ensureIndexed(zone);
      for (const index of indexesFor(scope)) yield* this.listIndex(zone, index, onToken);
    }
  }

  private async *listIndex(zone: LibraryZone, index: IndexName, onToken: TokenSink): AsyncGenerator<ICloudAsset> {
    const pairer = new RecordPairer();
    const fetchPage = (startRank: number): Promise<RecordsResponse> => {
      const body = pageQuery(zone.zoneId, INDEX[index].list, startRank, ASSET_PAGE_RECORDS);
      const page = this.transport.post(zone.database, 'records/query', body).then((json) => parseResponse(recordsResponseSchema, json, 'the asset listing'));
      // A prefetched page the consumer never asks for must not become an unhandled rejection.
      page.catch(() => undefined);
      return page;
    };
    let startRank = 0;
    let pages = 0;
    let previousFirst: string | undefined;
    let pending = fetchPage(startRank);
    for (;;) {
      const page = await pending;
      if (page.syncToken) onToken(zone, page.syncToken);
      const masterRecords = page.records.filter((record) => record.recordType === 'CPLMaster');
      const masters = masterRecords.length;
      if (masters === 0) break; // the end: a page without masters (icloudpd)
      // A server that ignores startRank would otherwise be listed forever.
      if (masterRecords[0]?.recordName === previousFirst) throw protocolChanged('The listing sent the same page twice.');
      previousFirst = masterRecords[0]?.recordName;
      pages += 1;
      startRank += masters;
      // Ask for the next page while this one is mapped and consumed: at most two pages in memory.
      pending = fetchPage(startRank);
      yield* mapPairs(pairer.add(usableRecords(page.records, this.logger)), zone, this.logger);
    }
    if (pairer.pendingCount() > 0) {
      this.logger.warn({ zone: zone.zoneId.zoneName, index, unpaired: pairer.pendingCount() }, 'some records never found their partner');
    }
    this.logger.info({ zone: zone.zoneId.zoneName, index, pages, assets: startRank }, 'listed a library index');
  }
}
