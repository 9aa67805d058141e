import type { Logger } from '../logger.js';
import type { ICloudAsset } from './asset.js';
import { mapAssetPair } from './asset-mapper.js';
import type { CloudKitTransport } from './cloudkit-transport.js';
import type { ListingScope } from './photo-source.js';
import { protocolChanged } from './photos-errors.js';
import { ASSET_PAGE_RECORDS, countBatch, INDEX, pageQuery, type IndexName } from './query-bodies.js';
import { isPermanentRecordError, type ProblemLog } from './listing-problems.js';
import { lookUpRecords } from './record-lookup.js';
import { RecordPairer, type RecordPair } from './record-pairer.js';
import { readNumber } from './responses/field-readers.js';
import { parseResponse } from './responses/parse-response.js';
import type { CloudKitRecord } from './responses/record-schema.js';
import { batchResponseSchema, recordsResponseSchema, type RecordsResponse } from './responses/response-schemas.js';
import type { LibraryZone, ZoneCatalog } from './zone-catalog.js';
import type { PageSeen } from './listing-check.js';
import { mastersOf, pageItems, rankedPages } from './ranked-pages.js';

/** Told each page's zone sync token and which assets each page held (for listing-check.ts). */
export interface ListingObserver {
  token(zone: LibraryZone, token: string): void;
  page(zone: LibraryZone, index: IndexName, seen: PageSeen): void;
}

/** Splits a page into usable records and those that carry their own error (spec 4.6); drops deleted ones. */
function sortRecords(records: readonly CloudKitRecord[]): { usable: CloudKitRecord[]; errored: CloudKitRecord[] } {
  const usable: CloudKitRecord[] = [];
  const errored: CloudKitRecord[] = [];
  for (const record of records) {
    if (record.serverErrorCode) errored.push(record);
    else if (record.deleted !== true) usable.push(record);
  }
  return { usable, errored };
}

/**
 * What pages could not pair, fetched again before the listing ends (spec 4.11): records that came
 * with a transient error, then the masters assets still wait for (a page can carry an asset without
 * its master). What still fails goes to `problems`; refused records (ACCESS_DENIED) are not retried.
 */
export async function recoverUnpaired(
  transport: CloudKitTransport,
  zone: LibraryZone,
  pairer: RecordPairer,
  errored: readonly CloudKitRecord[],
  problems: ProblemLog,
): Promise<RecordPair[]> {
  const zoneName = zone.zoneId.zoneName;
  for (const record of errored.filter(isPermanentRecordError)) problems.recordFailed(zoneName, record);
  const retry = errored.filter((record) => !isPermanentRecordError(record)).map((record) => record.recordName);
  const again = retry.length > 0 ? await lookUpRecords(transport, zone, retry) : { found: [], failed: [] };
  for (const record of again.failed) problems.recordFailed(zoneName, record);
  const pairs = pairer.add(again.found);
  const waiting = pairer.waitingMasterNames();
  const masters = waiting.length > 0 ? await lookUpRecords(transport, zone, waiting) : { found: [], failed: [] };
  for (const record of masters.failed) problems.recordFailed(zoneName, record);
  pairs.push(...pairer.add(masters.found));
  // A master alone is no photo (its asset may have been refused); an asset alone is a photo missed.
  const stillWaiting = pairer.waitingAssetCount();
  if (stillWaiting > 0) problems.missed(`${stillWaiting} assets of zone ${zoneName} never found their master`);
  return pairs;
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

  async *list(scope: ListingScope, observer: ListingObserver, parallelism: number, problems: ProblemLog): AsyncGenerator<ICloudAsset> {
    for (const zone of await this.catalog.zones(scope.includeShared)) {
      await this.catalog.ensureIndexed(zone);
      for (const index of indexesFor(scope)) yield* this.listIndex(zone, index, observer, parallelism, problems);
    }
  }

  /** One page of PAGE_ASSETS assets from `startRank`, read now: how gaps found later are re-read. */
  async readWindow(zone: LibraryZone, index: IndexName, startRank: number, problems: ProblemLog): Promise<{ seen: PageSeen; assets: ICloudAsset[] }> {
    const page = await this.fetchPage(zone, index, startRank);
    const pairer = new RecordPairer();
    const { usable, errored } = sortRecords(page.records);
    const pairs = [...pairer.add(usable), ...(await recoverUnpaired(this.transport, zone, pairer, errored, problems))];
    return { seen: { startRank, names: mastersOf(page) }, assets: mapPairs(pairs, zone, this.logger) };
  }

  private fetchPage(zone: LibraryZone, index: IndexName, startRank: number): Promise<RecordsResponse> {
    const body = pageQuery(zone.zoneId, INDEX[index].list, startRank, ASSET_PAGE_RECORDS);
    return this.transport.post(zone.database, 'records/query', body).then((json) => parseResponse(recordsResponseSchema, json, 'the asset listing'));
  }

  private async *listIndex(zone: LibraryZone, index: IndexName, observer: ListingObserver, parallelism: number, problems: ProblemLog): AsyncGenerator<ICloudAsset> {
    const pairer = new RecordPairer();
    // Records sent with their own error, by name: overlapping pages may send one twice.
    const errored = new Map<string, CloudKitRecord>();
    // Neighbouring pages overlap (ranked-pages.ts): each library entry (CPLAsset) is handed on once
    // per index. Not by master: Duplicates share one (src-main/sync/README.md "Identity").
    const handedOn = new Set<string>();
    const fresh = (assets: ICloudAsset[]): ICloudAsset[] => assets.filter((asset) => !handedOn.has(asset.assetRecordName) && handedOn.add(asset.assetRecordName));
    let pages = 0;
    let previousFirst: string | undefined;
    for await (const { startRank, page } of rankedPages((rank) => this.fetchPage(zone, index, rank), parallelism)) {
      if (page.syncToken) observer.token(zone, page.syncToken);
      const names = mastersOf(page);
      observer.page(zone, index, { startRank, names });
      if (pageItems(page) === 0) break; // the end: a page without masters (icloudpd) or assets
      // A server that ignores startRank would otherwise be listed forever.
      const first = names[0] ?? page.records[0]?.recordName;
      if (first === previousFirst) throw protocolChanged('The listing sent the same page twice.');
      previousFirst = first;
      pages += 1;
      const { usable, errored: withError } = sortRecords(page.records);
      for (const record of withError) errored.set(record.recordName, record);
      yield* fresh(mapPairs(pairer.add(usable), zone, this.logger));
    }
    yield* fresh(mapPairs(await recoverUnpaired(this.transport, zone, pairer, [...errored.values()], problems), zone, this.logger));
    this.logger.info({ zone: zone.zoneId.zoneName, index, pages, assets: handedOn.size }, 'listed a library index');
  }
}
