import type { Logger } from '../logger.js';
import type { ICloudAsset } from './asset.js';
import { mapPairs } from './asset-lister.js';
import { masterNameOf } from './asset-mapper.js';
import type { CloudKitTransport } from './cloudkit-transport.js';
import { ChangeCollector } from './change-collector.js';
import { databasePosition, type DatabasePosition } from './database-changes.js';
import type { DatabaseSyncToken, LibraryChanges, ListingScope, ZoneSyncToken } from './photo-source.js';
import { protocolChanged, serverError } from './photos-errors.js';
import { isPermanentRecordError, noProblems, ProblemLog } from './listing-problems.js';
import { changesZoneBody } from './query-bodies.js';
import { lookUpRecords } from './record-lookup.js';
import type { RecordPair } from './record-pairer.js';
import { parseResponse } from './responses/parse-response.js';
import type { CloudKitRecord } from './responses/record-schema.js';
import { changesZoneResponseSchema } from './responses/response-schemas.js';
import type { LibraryZone, ZoneCatalog } from './zone-catalog.js';

/** Stops a server that keeps saying moreComing without moving its token. */
const MAX_STALLED_PAGES = 5;

interface ZoneFeed {
  zone: LibraryZone;
  token: string;
  collector: ChangeCollector;
  stalled: number;
}

/** Why the stored tokens cannot be used, or undefined when they can. */
function tokenProblem(zones: readonly LibraryZone[], tokens: readonly ZoneSyncToken[], scope: ListingScope): string | undefined {
  const names = new Set(zones.map((zone) => zone.zoneId.zoneName));
  const missing = zones.find((zone) => !tokens.some((token) => token.zoneName === zone.zoneId.zoneName && token.token));
  if (missing) return `no sync token for zone ${missing.zoneId.zoneName}`;
  const gone = tokens.find((token) => !names.has(token.zoneName) && (token.library === 'personal' || scope.includeShared));
  return gone ? `zone ${gone.zoneName} is gone` : undefined;
}

/**
 * The change feed (spec 4.12): what changed in each zone since the tokens of an earlier run. An
 * unchanged library costs one changes/database per database when the database positions of the
 * earlier run are known; otherwise also zones/list and one changes/zone per database. Returns null, after
 * saying so in the log, when the caller has to fall back to a full listing.
 */
export class ChangeFeed {
  constructor(
    private readonly transport: CloudKitTransport,
    private readonly catalog: ZoneCatalog,
    private readonly logger: Logger,
  ) {}

  async read(scope: ListingScope, tokens: readonly ZoneSyncToken[], databaseTokens: readonly DatabaseSyncToken[] = []): Promise<LibraryChanges | null> {
    // Database positions first: whatever changes while the zones are read is after them, so the
    // next run sees it.
    const positions: DatabasePosition[] = [];
    for (const database of scope.includeShared ? (['private', 'shared'] as const) : (['private'] as const)) {
      positions.push(await databasePosition(this.transport, database, databaseTokens, this.logger));
    }
    const nextDatabaseTokens = positions.map(({ database, token }) => ({ database, token }));
    if (positions.every((position) => position.changedZones?.length === 0)) {
      this.logger.info({}, 'nothing changed in iCloud since the last run');
      return { changed: [], removedIds: [], nextTokens: tokens.map((token) => ({ ...token })), nextDatabaseTokens, problems: noProblems() };
    }
    const zones = await this.catalog.zones(scope.includeShared);
    const problem = tokenProblem(zones, tokens, scope);
    if (problem) return this.fallBack(problem);
    const feeds = zones.map((zone): ZoneFeed => ({
      zone,
      token: tokens.find((token) => token.zoneName === zone.zoneId.zoneName)?.token ?? '',
      collector: new ChangeCollector(scope.includeHidden),
      stalled: 0,
    }));
    for (const database of ['private', 'shared'] as const) {
      const rejected = await this.follow(feeds.filter((feed) => feed.zone.database === database));
      if (rejected) return this.fallBack(rejected);
    }
    const changed: ICloudAsset[] = [];
    const removed = new Set<string>();
    const problems = new ProblemLog(this.logger);
    for (const feed of feeds) {
      await this.refetchErrored(feed, problems);
      const result = feed.collector.result();
      const lookedUp = await this.lookUpMasters(feed.zone, result.assetsWithoutMaster, problems);
      changed.push(...mapPairs([...result.pairs, ...lookedUp], feed.zone, this.logger));
      for (const id of result.removedIds) removed.add(id);
    }
    for (const asset of changed) removed.delete(asset.id); // still in the library through another entry
    const nextTokens = feeds.map((feed) => ({ zoneName: feed.zone.zoneId.zoneName, library: feed.zone.library, token: feed.token }));
    this.logger.info({ changed: changed.length, removed: removed.size }, 'read the change feed');
    return { changed, removedIds: [...removed], nextTokens, nextDatabaseTokens, problems: problems.result() };
  }

  /** Changed records that came with a transient error are fetched again; refused ones are noted. */
  private async refetchErrored(feed: ZoneFeed, problems: ProblemLog): Promise<void> {
    const zoneName = feed.zone.zoneId.zoneName;
    const errored = feed.collector.erroredRecords();
    for (const record of errored.filter(isPermanentRecordError)) problems.recordFailed(zoneName, record);
    const retry = errored.filter((record) => !isPermanentRecordError(record)).map((record) => record.recordName);
    if (retry.length === 0) return;
    const again = await lookUpRecords(this.transport, feed.zone, retry);
    for (const record of again.failed) problems.recordFailed(zoneName, record);
    feed.collector.add(again.found);
  }

  private fallBack(reason: string): null {
    this.logger.warn({ reason }, 'cannot use the change feed; falling back to a full listing');
    return null;
  }

  /** Pages one database's zones until none says moreComing; returns a reason if a token was rejected. */
  private async follow(feeds: ZoneFeed[]): Promise<string | undefined> {
    let pending = feeds;
    while (pending.length > 0) {
      const database = pending[0]!.zone.database;
      const body = changesZoneBody(pending.map((feed) => ({ zoneId: feed.zone.zoneId, syncToken: feed.token })));
      const answer = parseResponse(changesZoneResponseSchema, await this.transport.post(database, 'changes/zone', body), 'changes/zone');
      const next: ZoneFeed[] = [];
      for (const feed of pending) {
        const zoneAnswer = answer.zones.find((entry) => entry.zoneID.zoneName === feed.zone.zoneId.zoneName);
        if (!zoneAnswer) throw protocolChanged(`changes/zone said nothing about zone ${feed.zone.zoneId.zoneName}.`);
        // A rejected token, or a zone that went away since the last run: a full listing sorts both out.
        if (zoneAnswer.serverErrorCode === 'BAD_REQUEST' || zoneAnswer.serverErrorCode === 'ZONE_NOT_FOUND') {
          return `iCloud rejected the sync token of zone ${feed.zone.zoneId.zoneName} (${zoneAnswer.serverErrorCode}: ${zoneAnswer.reason ?? 'no reason given'})`;
        }
        if (zoneAnswer.serverErrorCode) {
          throw serverError(`changes/zone for ${feed.zone.zoneId.zoneName}: ${zoneAnswer.serverErrorCode}`);
        }
        const records = zoneAnswer.records ?? [];
        feed.collector.add(records);
        const newToken = zoneAnswer.syncToken ?? feed.token;
        feed.stalled = newToken === feed.token && records.length === 0 ? feed.stalled + 1 : 0;
        feed.token = newToken;
        if (zoneAnswer.moreComing) {
          if (feed.stalled >= MAX_STALLED_PAGES) throw protocolChanged('changes/zone keeps saying moreComing without moving on.');
          next.push(feed);
        }
      }
      pending = next;
    }
    return undefined;
  }

  /** Changed CPLAssets whose master did not change: fetch the master with records/lookup. */
  private async lookUpMasters(zone: LibraryZone, assets: readonly CloudKitRecord[], problems: ProblemLog): Promise<RecordPair[]> {
    if (assets.length === 0) return [];
    const { found, failed } = await lookUpRecords(this.transport, zone, assets.map((asset) => masterNameOf(asset) ?? ''));
    for (const record of failed) problems.recordFailed(zone.zoneId.zoneName, record);
    const masters = new Map(found.map((record) => [record.recordName, record]));
    return assets.flatMap((asset) => {
      const master = masters.get(masterNameOf(asset) ?? '');
      return master ? [{ master, asset }] : [];
    });
  }
}
