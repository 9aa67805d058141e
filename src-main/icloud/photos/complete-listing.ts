import type { Logger } from '../logger.js';
import type { ICloudAsset } from './asset.js';
import type { AssetLister } from './asset-lister.js';
import type { ChangeFeed } from './change-feed.js';
import { findGaps, type PageSeen } from './listing-check.js';
import type { DatabaseSyncToken, ListingScope, ZoneSyncToken } from './photo-source.js';
import { ProblemLog } from './listing-problems.js';
import type { IndexName } from './query-bodies.js';
import { PAGE_ASSETS, PAGE_STEP } from './ranked-pages.js';
import type { LibraryZone } from './zone-catalog.js';

/** Re-read pages allowed per listing beyond this share of its pages: past it the run is not complete. */
const EXTRA_READS_BASE = 20;
const EXTRA_READS_SHARE = 0.1;

interface IndexPages {
  zone: LibraryZone;
  index: IndexName;
  pages: PageSeen[];
}

/**
 * A full listing that proves it is complete (src-main/sync/README.md "A complete listing"):
 * 1. list every index by rank with overlapping pages, keeping the first sync token per zone;
 * 2. replay the change feed from those tokens: what was added or changed meanwhile is handed on,
 *    and every asset it names is "touched";
 * 3. neighbouring pages must share an untouched asset (listing-check.ts); each hole is re-read
 *    from the rank of the last untouched asset before it, until none is left or the budget is spent.
 * `complete` is false when the proof failed: the caller must not treat the run as complete.
 */
export class CompleteListing {
  tokens: ZoneSyncToken[] = [];
  /** The database positions of the replay (taken after the listing's first tokens: stored with them). */
  databaseTokens: DatabaseSyncToken[] = [];
  complete = false;
  /** Records that came with errors and could not be fetched again (listing-problems.ts). */
  readonly problems: ProblemLog;

  constructor(
    private readonly lister: AssetLister,
    private readonly feed: ChangeFeed,
    private readonly logger: Logger,
    private readonly parallelism: number,
  ) {
    this.problems = new ProblemLog(logger);
  }

  async *list(scope: ListingScope): AsyncGenerator<ICloudAsset> {
    const firstTokens = new Map<string, ZoneSyncToken>();
    const indexes = new Map<string, IndexPages>();
    // By CPLAsset record name: Duplicates share a master (asset.id), each is its own entry.
    const handedOn = new Set<string>();
    const firstTime = (asset: ICloudAsset) => !handedOn.has(asset.assetRecordName) && Boolean(handedOn.add(asset.assetRecordName));
    const observer = {
      token: (zone: LibraryZone, token: string) => {
        const zoneName = zone.zoneId.zoneName;
        if (!firstTokens.has(zoneName)) firstTokens.set(zoneName, { zoneName, library: zone.library, token });
      },
      page: (zone: LibraryZone, index: IndexName, seen: PageSeen) => {
        const key = `${zone.zoneId.zoneName}/${index}`;
        const entry = indexes.get(key) ?? { zone, index, pages: [] };
        entry.pages.push(seen);
        indexes.set(key, entry);
      },
    };
    for await (const asset of this.lister.list(scope, observer, this.parallelism, this.problems)) {
      handedOn.add(asset.assetRecordName);
      yield asset;
    }
    // Kept as the position to store: the next run replays this listing's window again (harmless).
    this.tokens = [...firstTokens.values()];

    const changes = await this.feed.read(scope, this.tokens);
    if (!changes) {
      this.logger.warn({}, 'the change feed could not replay the listing; this listing does not count as complete');
      return;
    }
    this.databaseTokens = changes.nextDatabaseTokens ?? [];
    this.problems.absorb(changes.problems);
    for (const asset of changes.changed) if (firstTime(asset)) yield asset;
    const touched = new Set([...changes.changed.map((asset) => asset.id), ...changes.removedIds]);
    // Ranks move down one place per asset that left; a re-read starts that much earlier (within a
    // page), and further each time the same hole comes back.
    const shift = Math.min(changes.removedIds.length, PAGE_STEP - 5);
    const tries = new Map<string, number>();
    let budget = EXTRA_READS_BASE;
    for (const entry of indexes.values()) budget += Math.ceil(entry.pages.length * EXTRA_READS_SHARE);
    let rereads = 0;
    for (const entry of indexes.values()) {
      for (let gaps = findGaps(entry.pages, touched, PAGE_ASSETS); gaps.length > 0; gaps = findGaps(entry.pages, touched, PAGE_ASSETS)) {
        if (rereads >= budget) {
          this.logger.warn({ rereads, gaps: gaps.length }, 'the library kept changing under the listing; this listing does not count as complete');
          return;
        }
        const gap = gaps[0]!;
        rereads += 1;
        const again = tries.get(`${gap.fromRank}`) ?? 0;
        tries.set(`${gap.fromRank}`, again + 1);
        const startRank = Math.max(0, gap.fromRank - shift - again * (PAGE_STEP - 5));
        const { seen, assets } = await this.lister.readWindow(entry.zone, entry.index, startRank, this.problems);
        entry.pages.splice(gap.after + 1, 0, seen);
        for (const asset of assets) if (!touched.has(asset.id) && firstTime(asset)) yield asset;
      }
    }
    this.logger.info({ assets: handedOn.size, changedMeanwhile: touched.size, rereads }, 'the listing is complete');
    this.complete = true;
  }
}
