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

/** Called with each page's zone sync token. */
export type TokenSink = (zone: LibraryZone, token: string) => void;

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

/**
 * How many library items a page held, to find the next startRank. The clients count CPLMaster
 * records (spec 4.6); a page can also carry an asset whose master is not on it, so the larger of the
 * master and asset counts is taken. An item sent as error records is not counted: counting short only
 * lists an item again on the next page (skipped there), counting long would skip one.
 */
function pageItems(records: readonly CloudKitRecord[], masters: number): number {
  return Math.max(masters, records.filter((record) => record.recordType === 'CPLAsset').length);
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

  async *list(scope: ListingScope, onToken: TokenSink, problems: ProblemLog): AsyncGenerator<ICloudAsset> {
    for (const zone of await this.catalog.zones(scope.includeShared)) {
      await this.catalog.ensureIndexed(zone);
      for (const index of indexesFor(scope)) yield* this.listIndex(zone, index, onToken, problems);
    }
  }

  private async *listIndex(zone: LibraryZone, index: IndexName, onToken: TokenSink, problems: ProblemLog): AsyncGenerator<ICloudAsset> {
    const pairer = new RecordPairer();
    const errored: CloudKitRecord[] = [];
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
    let previousNames = new Set<string>();
    let pending = fetchPage(startRank);
    for (;;) {
      const page = await pending;
      if (page.syncToken) onToken(zone, page.syncToken);
      const masterRecords = page.records.filter((record) => record.recordType === 'CPLMaster');
      const items = pageItems(page.records, masterRecords.length);
      if (items === 0) break; // the end: a page without masters (icloudpd) or assets
      // A server that ignores startRank would otherwise be listed forever.
      const first = masterRecords[0]?.recordName ?? page.records[0]?.recordName;
      if (first === previousFirst) throw protocolChanged('The listing sent the same page twice.');
      previousFirst = first;
      pages += 1;
      startRank += items;
      // Ask for the next page while this one is mapped and consumed: at most two pages in memory.
      pending = fetchPage(startRank);
      // Assets the previous page already had: the page overlaps it after an item sent as errors. A
      // master may come again for a Duplicate, so masters are always kept (one left over is harmless).
      const fresh = page.records.filter((record) => record.recordType === 'CPLMaster' || !previousNames.has(record.recordName));
      previousNames = new Set(page.records.map((record) => record.recordName));
      const { usable, errored: withError } = sortRecords(fresh);
      errored.push(...withError);
      yield* mapPairs(pairer.add(usable), zone, this.logger);
    }
    yield* mapPairs(await recoverUnpaired(this.transport, zone, pairer, errored, problems), zone, this.logger);
    this.logger.info({ zone: zone.zoneId.zoneName, index, pages, assets: startRank }, 'listed a library index');
  }
}
