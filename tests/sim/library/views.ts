import { GENERATED_ALBUM_COUNT, inGeneratedAlbum } from './albums.js';
import { decodeAlbumUuid } from './ids.js';
import type { AssetState } from './asset-state.js';
import type { SimView } from './types.js';

/**
 * The listing indexes. Each view is one filtered, sorted array of serials, built on first use and
 * kept until the library changes, so paging through 100,000 assets is slicing, not scanning.
 */

type Zone = AssetState['zone'];

const newestFirst =
  (date: (s: AssetState) => number) =>
  (a: AssetState, b: AssetState): number =>
    date(b) - date(a) || a.serial - b.serial;

const visible = (s: AssetState): boolean => !s.purged && !s.hidden && s.deletedAt === undefined;

function viewRule(
  seed: number,
  view: SimView,
  albumMember: (serial: number, albumIndex: number) => boolean,
): { keep: (s: AssetState) => boolean; order: (a: AssetState, b: AssetState) => number } | undefined {
  const byAssetDate = newestFirst((s) => s.assetDate);
  switch (view) {
    case 'all':
      return { keep: visible, order: byAssetDate };
    case 'added':
      return { keep: visible, order: newestFirst((s) => s.addedDate) };
    case 'favorites':
      return { keep: (s) => visible(s) && s.favorite, order: byAssetDate };
    case 'videos':
      return { keep: (s) => visible(s) && s.kind === 'mov', order: byAssetDate };
    case 'live':
      return { keep: (s) => visible(s) && s.live, order: byAssetDate };
    case 'screenshots':
      return { keep: (s) => visible(s) && s.kind === 'png', order: byAssetDate };
    case 'hidden':
      return { keep: (s) => !s.purged && s.hidden && s.deletedAt === undefined, order: byAssetDate };
    case 'deleted':
      return { keep: (s) => !s.purged && s.deletedAt !== undefined, order: newestFirst((s) => s.deletedAt ?? 0) };
    case 'empty':
      return { keep: () => false, order: byAssetDate };
    default: {
      const index = decodeAlbumUuid(seed, view.slice('album:'.length));
      if (index === undefined || index >= GENERATED_ALBUM_COUNT) return undefined;
      return { keep: (s) => visible(s) && albumMember(s.serial, index), order: byAssetDate };
    }
  }
}

export class ViewCache {
  private readonly cache = new Map<string, number[]>();

  constructor(
    private readonly seed: number,
    private readonly states: readonly AssetState[],
    private readonly initialPrimary: number,
    /** Drops what else was derived from the states (the core's assets) together with the views. */
    private readonly onInvalidate: () => void = () => {},
  ) {}

  invalidate(): void {
    this.cache.clear();
    this.onInvalidate();
  }

  /** Album membership is generated for the initial PrimarySync assets only. */
  isInAlbum(serial: number, albumIndex: number): boolean {
    return serial < this.initialPrimary && inGeneratedAlbum(this.seed, serial, albumIndex);
  }

  /** Serials in the view, in rank order (rank 0 = newest); undefined for an unknown album. */
  serials(zone: Zone, view: SimView): readonly number[] | undefined {
    const cacheKey = `${zone}|${view}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const rule = viewRule(this.seed, view, (serial, index) => this.isInAlbum(serial, index));
    if (!rule) return undefined;
    const kept = this.states.filter((s) => s.zone === zone && rule.keep(s)).sort(rule.order);
    const serials = kept.map((s) => s.serial);
    this.cache.set(cacheKey, serials);
    return serials;
  }
}
