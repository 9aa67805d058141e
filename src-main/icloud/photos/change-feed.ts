import type { Logger } from '../logger.js';
import type { ICloudAsset } from './asset.js';
import { mapPairs } from './asset-lister.js';
import { masterNameOf } from './asset-mapper.js';
import type { CloudKitTransport } from './cloudkit-transport.js';
import { ChangeCollector } from './change-collector.js';
import type { LibraryChanges, ListingScope, ZoneSyncToken } from './photo-source.js';
import { protocolChanged, serverError } from './photos-errors.js';
import { changesZoneBody, lookupBody } from './query-bodies.js';
import { parseResponse } from './responses/parse-response.js';
import type { CloudKitRecord } from './responses/record-schema.js';
import { changesZoneResponseSchema, recordsResponseSchema } from './responses/response-schemas.js';
import type { LibraryZone, ZoneCatalog } from './zone-catalog.js';

/** Stops a server that keeps saying moreComing without moving its token. */
const MAX_STALLED_PAGES = 5;
const LOOKUP_CHUNK = 100;

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
 * unchanged library costs zones/list plus one changes/zone per database. Returns null, after
 * saying so in the log, when the caller has to fall back to a full listing.
 */
export class ChangeFeed {
  constructor(
    private readonly transport: CloudKitTransport,
    private readonly catalog: ZoneCatalog,
    private readonly logger: Logger,
  ) {}

  async read(scope: ListingScope, tokens: readonly ZoneSyncToken[]): Promise<LibraryChanges | null> {
    const zones = await this.catalog.zones(scope.includeShared);
    const problem = tokenProblem(zones, tokens, scope);
    if (problem) return this.fallBack(problem);
    const feeds = zones.map((zone): ZoneFeed => ({
      zone,
      token: tokens.find((token) => token.zoneName === zone.zoneId.zoneName)?.token ?? '',
      collector: new ChangeCollector(scope.includeHidden, this.logger),
      stalled: 0,
    }));
    for (const database of ['private', 'shared'] as const) {
      const rejected = await this.follow(feeds.filter((feed) => feed.zone.database === database));
      if (rejected) return this.fallBack(rejected);
    }
    const changed: ICloudAsset[] = [];
    const removed = new Set<string>();
    for (const feed of feeds) {
      const result = feed.collector.result();
      const lookedUp = await this.lookUpMasters(feed.zone, result.assetsWithoutMaster);
      changed.push(...mapPairs([...result.pairs, ...lookedUp], feed.zone, this.logger));
      for (const id of result.removedIds) removed.add(id);
    }
    for (const asset of changed) removed.delete(asset.id); // still in the library through another entry
    const nextTokens = feeds.map((feed) => ({ zoneName: feed.zone.zoneId.zoneName, library: feed.zone.library, token: feed.token }));
    this.logger.info({ changed: changed.length, removed: removed.size }, 'read the change feed');
    return { changed, removedIds: [...removed], nextTokens };
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
  private async lookUpMasters(zone: LibraryZone, assets: readonly CloudKitRecord[]) {
    const pairs: Array<{ master: CloudKitRecord; asset: CloudKitRecord }> = [];
    for (let i = 0; i < assets.length; i += LOOKUP_CHUNK) {
      const chunk = assets.slice(i, i + LOOKUP_CHUNK);
      const names = [...new Set(chunk.map((asset) => masterNameOf(asset) ?? ''))];
      const answer = parseResponse(
        recordsResponseSchema,
        await this.transport.post(zone.database, 'records/lookup', lookupBody(zone.zoneId, names)),
        'records/lookup',
      );
      const masters = new Map(answer.records.filter((record) => !record.serverErrorCode).map((record) => [record.recordName, record]));
      for (const asset of chunk) {
        const master = masters.get(masterNameOf(asset) ?? '');
        if (master) pairs.push({ master, asset });
        else this.logger.warn({ assetRecordName: asset.recordName }, 'a changed asset has no readable master; skipping it');
      }
    }
    return pairs;
  }
}
