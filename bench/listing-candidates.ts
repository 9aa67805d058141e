import { ChangeCollector } from '../src-main/icloud/photos/change-collector.js';
import type { CloudKitTransport } from '../src-main/icloud/photos/cloudkit-transport.js';
import { createPhotoLibrary } from '../src-main/icloud/photos/photo-library.js';
import { parseResponse } from '../src-main/icloud/photos/responses/parse-response.js';
import { changesZoneResponseSchema } from '../src-main/icloud/photos/responses/response-schemas.js';
import { timed } from './measure.js';
import { benchLookup, type BenchSession } from './signed-in-client.js';

/**
 * The listing bench's other questions (issue 10): what the change feed would cost as the full
 * listing, and whether the product's listing stays complete while the library changes under it.
 */

const SCOPE = { includeShared: false, includeHidden: false };
const LIST_INDEX = 'CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted';

export interface FeedListing {
  requests: number;
  seconds: number;
  cpuSeconds: number;
  /** CPLAsset record names the feed ended with (an asset record with its master, or whose master must be looked up). */
  listedIds: Set<string>;
  records: number;
  tombstones: number;
  emptyPages: number;
}

/**
 * Candidate: `changes/zone` without a token as the full listing (bench only). Ordered by change, so
 * nothing can slip between pages, but every page needs the token of the one before: one request at
 * a time, through the whole history (about six records per photo, a third tombstones, runs of
 * empty pages: the simulator's Apple-shaped past). Records folded as the product's feed reader does.
 */
export async function feedAsListing(transport: CloudKitTransport): Promise<FeedListing> {
  const collector = new ChangeCollector(false);
  const figures = { requests: 0, records: 0, tombstones: 0, emptyPages: 0 };
  const cpuBefore = process.cpuUsage();
  const run = await timed(async () => {
    let token: string | undefined;
    for (let more = true; more; ) {
      const body = { zones: [{ zoneID: { zoneName: 'PrimarySync' }, resultsLimit: 200, ...(token ? { syncToken: token } : {}) }] };
      const answer = parseResponse(changesZoneResponseSchema, await transport.post('private', 'changes/zone', body), 'changes/zone');
      const zone = answer.zones[0];
      if (!zone || zone.serverErrorCode) throw new Error(`changes/zone failed: ${zone?.serverErrorCode ?? 'no zone'}`);
      const records = zone.records ?? [];
      figures.requests += 1;
      figures.records += records.length;
      figures.tombstones += records.filter((record) => record.deleted === true && !record.recordType).length;
      if (records.length === 0 && zone.moreComing) figures.emptyPages += 1;
      collector.add(records);
      token = zone.syncToken ?? token;
      more = zone.moreComing === true;
    }
    const result = collector.result();
    return new Set([...result.pairs.map((pair) => pair.asset.recordName), ...result.assetsWithoutMaster.map((asset) => asset.recordName)]);
  });
  const cpu = process.cpuUsage(cpuBefore);
  return { ...figures, seconds: run.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, listedIds: run.result };
}

/**
 * What the library goes through during every candidate's listing (the same schedule for each):
 * after its 3rd, 40th and 400th listing page, trash/hide/purge the newest photos and add some.
 */
const CHANGE_AFTER_PAGES = [3, 40, 400];
const CHANGE = { trash: 4, hide: 2, purge: 3, add: 3 };

/** A transport that changes the simulator's library right after the listing pages of the schedule. */
export interface ChangingTransport {
  transport: CloudKitTransport;
  requests(): number;
  changes(): number;
}

/** `isPage` tells a listing page (records/query on the index, or changes/zone for the feed) from other requests. */
export function changingBetweenPages(session: BenchSession, isPage: (path: string, body: unknown) => boolean): ChangingTransport {
  let pages = 0;
  let requests = 0;
  const pending: Array<Promise<number>> = [];
  const transport: CloudKitTransport = {
    async post(database, path, body) {
      requests += 1;
      const answer = await session.client.transport.post(database, path, body);
      if (isPage(path, body)) {
        pages += 1;
        // The change lands before the client sees this page: later pages see the shifted ranks.
        if (CHANGE_AFTER_PAGES.includes(pages)) pending.push(session.sim.changeLibrary(CHANGE));
        await Promise.all(pending);
      }
      return answer;
    },
  };
  return { transport, requests: () => requests, changes: () => pending.length };
}

export const isRankedPage = (path: string, body: unknown): boolean =>
  path === 'records/query' && (body as { query?: { recordType?: string } }).query?.recordType === LIST_INDEX;
export const isFeedPage = (path: string): boolean => path === 'changes/zone';

export interface ListingUnderChanges {
  requests: number;
  seconds: number;
  cpuSeconds: number;
  /** Visible photos at the end that the listing handed on, of how many there are. */
  present: number;
  expected: number;
  /** What the listing itself claims (the product's proof; the feed has none: always true). */
  complete: boolean;
  changes: number;
}

/** Of the photos visible once the listing is over, how many it handed on. */
export async function completeness(session: BenchSession, listed: ReadonlySet<string>): Promise<{ present: number; expected: number }> {
  const visible = await session.sim.visibleAssetIds();
  return { present: visible.filter((id) => listed.has(id)).length, expected: visible.length };
}

/** The product's listing (`parallelism` pages in flight) while the simulator's library changes between its pages. */
export async function listingUnderChanges(session: BenchSession, parallelism: number): Promise<ListingUnderChanges> {
  const changing = changingBetweenPages(session, isRankedPage);
  const source = createPhotoLibrary({ transport: changing.transport, download: { dnsLookup: benchLookup }, listing: { parallelism } });
  const listed = new Set<string>();
  const cpuBefore = process.cpuUsage();
  const run = await timed(async () => {
    for await (const asset of source.listAssets(SCOPE)) listed.add(asset.assetRecordName);
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: changing.requests(),
    seconds: run.seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...(await completeness(session, listed)),
    complete: source.listingComplete?.() ?? false,
    changes: changing.changes(),
  };
}

/** The change-feed candidate under the same schedule (its pages are changes/zone pages). */
export async function feedUnderChanges(session: BenchSession): Promise<FeedListing & ListingUnderChanges> {
  const changing = changingBetweenPages(session, isFeedPage);
  const feed = await feedAsListing(changing.transport);
  return { ...feed, ...(await completeness(session, feed.listedIds)), complete: true, changes: changing.changes() };
}
