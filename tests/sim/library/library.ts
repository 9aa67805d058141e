import { createContent } from './content.js';
import { LibraryCore, type ZoneKey } from './core.js';
import { decodeResourceChecksum } from './ids.js';
import { createMutations } from './mutations.js';
import { FIRST_EDIT_SLOT, resourceAt } from './resources.js';
import { historyChange } from './history.js';
import { decodeToken, encodeToken } from './sync-tokens.js';
import type { FeedEntry } from './change-log.js';
import type {
  SimAlbum,
  SimChange,
  SimChangesPage,
  SimDatabaseChanges,
  SimLibrary,
  SimLibraryOptions,
  SimResource,
  SimView,
} from './types.js';

/** A simulated iCloud Photos library, deterministic from `options.seed`. */
export function createSimLibrary(options: SimLibraryOptions): SimLibrary {
  const core = new LibraryCore(options);
  const { seed } = core;

  function findResource(fileChecksum: string) {
    const key = decodeResourceChecksum(seed, fileChecksum);
    const state = key && core.states[key.serial];
    if (!key || !state) return undefined;
    const isEdit = key.slot >= FIRST_EDIT_SLOT;
    // A master's content lives while any asset uses it (a Duplicate can outlive its source).
    const holder = isEdit ? (state.purged ? undefined : state) : core.assetsOnMaster(state.serial)[0];
    if (!holder) return undefined;
    if (isEdit ? key.version < 1 || key.version > state.editVersion : key.version !== 0) return undefined;
    const resource = resourceAt(seed, state, key, core.sizes);
    return resource && { asset: core.toAsset(holder), resource };
  }

  function resolveChange(zone: ZoneKey, entry: FeedEntry, seq: number): SimChange | undefined {
    if (entry.type === 'purged' || entry.type === 'other') return entry;
    if (entry.type === 'history') return historyChange(seed, entry.serial, entry.variant);
    if (entry.type === 'stale') return undefined;
    if (entry.type === 'album') {
      const album = core.albums[entry.index];
      return album && { type: 'album', album };
    }
    const state = core.states[entry.serial];
    if (!state || state.purged || state.zone !== zone) return undefined;
    const current = entry.type === 'master' ? state.masterSeq : state.assetSeq;
    return current === seq ? { type: entry.type, asset: core.toAsset(state) } : undefined;
  }

  const library: SimLibrary = {
    seed,
    ownerRecordName: core.ownerRecordName,
    primaryZoneName: core.zoneNames.primary,
    sharedZoneName: core.zoneNames.shared,
    zoneNames: () => [core.zoneNames.primary, core.zoneNames.shared],
    generation: () => core.generation,

    *assets(zoneName?: string) {
      const zone = zoneName === undefined ? undefined : core.zoneKeyOf(zoneName);
      if (zoneName !== undefined && zone === undefined) return;
      for (const state of core.states) {
        if (!state.purged && (zone === undefined || state.zone === zone)) yield core.toAsset(state);
      }
    },

    getAsset(ref) {
      const serial = core.serialOf(ref);
      const state = serial === undefined ? undefined : core.states[serial];
      return state && core.toAsset(state);
    },

    list(zoneName, view, startRank, limit, direction = 'ASCENDING') {
      const zone = core.zoneKeyOf(zoneName);
      const serials = zone && core.views.serials(zone, view);
      if (!serials || limit <= 0 || startRank < 0) return [];
      const ranks =
        direction === 'ASCENDING'
          ? serials.slice(startRank, startRank + limit)
          : serials.slice(Math.max(0, startRank - limit + 1), startRank + 1).reverse();
      return ranks.flatMap((serial) => {
        const state = core.states[serial];
        return state ? [core.toAsset(state)] : [];
      });
    },

    count(zoneName: string, view: SimView) {
      const zone = core.zoneKeyOf(zoneName);
      return zone && core.views.serials(zone, view)?.length;
    },

    albums(zoneName: string): SimAlbum[] {
      return core.zoneKeyOf(zoneName) === 'primary' ? [...core.albums] : [];
    },

    getAlbum(id: string) {
      return core.albums.find((album) => album.id === id);
    },

    findResource,

    contentOf(target: string | SimResource) {
      const checksum = typeof target === 'string' ? target : target.fileChecksum;
      const found = findResource(checksum);
      const key = decodeResourceChecksum(seed, checksum);
      return found && key ? createContent(seed, key, found.resource) : undefined;
    },

    zoneSyncToken(zoneName: string) {
      const zone = core.zoneKeyOf(zoneName);
      if (!zone) throw new Error(`no zone ${zoneName}`);
      return encodeToken(seed, 'zone', zoneName, core.feeds[zone].seq);
    },

    changes(zoneName, syncToken, limit): SimChangesPage {
      const zone = core.zoneKeyOf(zoneName);
      if (!zone) return { ok: false, reason: `Zone ${zoneName} does not exist` };
      const feed = core.feeds[zone];
      const from = syncToken === undefined ? 0 : syncToken === '' ? feed.seq : decodeToken(seed, 'zone', zoneName, syncToken);
      if (from === undefined || from > feed.seq) return { ok: false, reason: 'Unknown sync continuation type' };
      const page = feed.collect(from, Math.max(1, limit), (entry, seq) => resolveChange(zone, entry, seq));
      return {
        ok: true,
        changes: page.items,
        syncToken: encodeToken(seed, 'zone', zoneName, page.nextSeq),
        moreComing: page.nextSeq < feed.seq,
      };
    },

    databaseChanges(syncToken?: string, database: 'private' | 'shared' = 'private'): SimDatabaseChanges {
      const from = syncToken === undefined ? 0 : decodeToken(seed, 'database', database, syncToken);
      if (from === undefined || from > core.databaseSeq) return { ok: false, reason: 'Unknown sync continuation type' };
      const zones = (['primary', 'shared'] as const).filter((zone) => core.feeds[zone].lastDatabaseSeq > from);
      return {
        ok: true,
        zoneNames: zones.map((zone) => core.zoneNames[zone]),
        syncToken: encodeToken(seed, 'database', database, core.databaseSeq),
      };
    },

    ...createMutations(core),
  };
  return library;
}
