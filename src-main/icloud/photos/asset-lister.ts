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
import type { PageSeen } from './listing-check.js';
import { mastersOf, rankedPages } from './ranked-pages.js';

/** Told each page's zone sync token and which assets each page held (for listing-check.ts). */
export interface ListingObserver {
  token(zone: LibraryZone, token: string): void;
  page(zone: LibraryZone, index: IndexName, seen: PageSeen): void;
}

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

export function indexesFor(scope: ListingScope): IndexName[] {
  return scope.includeHidden ? ['all', 'hidden'] : ['all'];
}

/**
 * Full listing and counting (spec 4.5, 4.6): pages of 100 assets by startRank, newest first, a
 * few pages in flight and in memory at a time (ranked-pages.ts).
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

  async *list(scope: ListingScope, observer: ListingObserver, parallelism: number): AsyncGenerator<ICloudAsset> {
    for (const zone of await this.catalog.zones(scope.includeShared)) {
      await this.catalog.ensureIndexed(zone);
      for (const index of indexesFor(scope)) yield* this.listIndex(zone, index, observer, parallelism);
    }
  }

  /** One page of PAGE_ASSETS assets from `startRank`, read now: how gaps found later are re-read. */
  async readWindow(zone: LibraryZone, index: IndexName, startRank: number): Promise<{ seen: PageSeen; assets: ICloudAsset[] }> {
    const page = await this.fetchPage(zone, index, startRank);
    const assets = mapPairs(new RecordPairer().add(usableRecords(page.records, this.logger)), zone, this.logger);
    return { seen: { startRank, names: mastersOf(page) }, assets };
  }

  private fetchPage(zone: LibraryZone, index: IndexName, startRank: number): Promise<RecordsResponse> {
    const body = pageQuery(zone.zoneId, INDEX[index].list, startRank, ASSET_PAGE_RECORDS);
    return this.transport.post(zone.database, 'records/query', body).then((json) => parseResponse(recordsResponseSchema, json, 'the asset listing'));
  }

  private async *listIndex(zone: LibraryZone, index: IndexName, observer: ListingObserver, parallelism: number): AsyncGenerator<ICloudAsset> {
    const pairer = new RecordPairer();
    // Neighbouring pages overlap (ranked-pages.ts): an asset is handed on once per index.
    const handedOn = new Set<string>();
    let pages = 0;
    let previousFirst: string | undefined;
    for await (const { startRank, page } of rankedPages((rank) => this.fetchPage(zone, index, rank), parallelism)) {
      if (page.syncToken) observer.token(zone, page.syncToken);
      const names = mastersOf(page);
      observer.page(zone, index, { startRank, names });
      if (names.length === 0) break; // the end: a page without masters (icloudpd)
      // A server that ignores startRank would otherwise be listed forever.
      if (names[0] === previousFirst) throw protocolChanged('The listing sent the same page twice.');
      previousFirst = names[0];
      pages += 1;
      for (const asset of mapPairs(pairer.add(usableRecords(page.records, this.logger)), zone, this.logger)) {
        if (handedOn.has(asset.id)) continue;
        handedOn.add(asset.id);
        yield asset;
      }
    }
    if (pairer.pendingCount() > 0) {
      this.logger.warn({ zone: zone.zoneId.zoneName, index, unpaired: pairer.pendingCount() }, 'some records never found their partner');
    }
    this.logger.info({ zone: zone.zoneId.zoneName, index, pages, assets: handedOn.size }, 'listed a library index');
  }
}
