import { generatedState } from './asset-state.js';
import type { LibraryCore, ZoneKey } from './core.js';
import type { AddAssetOptions, AssetRef, SimAsset } from './types.js';

/** Test helpers that change the library between runs, each recorded in the zone's change feed. */
export function createMutations(core: LibraryCore) {
  const result = (ref: AssetRef): SimAsset => core.toAsset(core.stateOf(ref));

  /** Tombstones for an asset leaving a zone for good: its album relations, the asset, the master. */
  const hardDelete = (zone: ZoneKey, asset: SimAsset): void => {
    const feed = core.feeds[zone];
    for (const albumId of asset.albumIds) feed.append({ type: 'purged', recordName: `${asset.id}-IN-${albumId}` });
    feed.append({ type: 'purged', recordName: asset.id });
    // A master shared with a Duplicate still in this zone stays.
    const state = core.states[asset.serial];
    if (!state || !core.assetsOnMaster(state.masterSerial).some((other) => other !== state && other.zone === zone)) {
      feed.append({ type: 'purged', recordName: asset.masterId });
    }
  };

  return {
    addAsset(options: AddAssetOptions = {}): SimAsset {
      const zone = options.zone ?? 'primary';
      const serial = core.states.length;
      const state = generatedState(core.seed, serial, zone, 0);
      const kind = options.kind ?? 'jpeg';
      const now = core.now();
      Object.assign(state, {
        kind,
        live: kind !== 'mov' && kind !== 'png' && (options.live ?? false),
        rawPair: kind === 'jpeg' && options.rawPair ? 'jpeg-original' : 'none',
        filename: options.filename,
        assetDate: options.assetDate ?? now,
        addedDate: now,
        timeZoneOffset: options.timeZoneOffset ?? 0,
        favorite: options.favorite ?? false,
        hidden: options.hidden ?? false,
        deletedAt: undefined,
        editVersion: 0,
        originalSize: options.originalSize,
      });
      core.states.push(state);
      core.touch(state, { master: true, asset: true });
      return core.toAsset(state);
    },

    editAsset(ref: AssetRef): SimAsset {
      const state = core.stateOf(ref);
      if (state.kind === 'png') throw new Error('the simulator does not edit PNG screenshots');
      state.editVersion++;
      core.touch(state, { asset: true });
      return result(ref);
    },

    deleteAsset(ref: AssetRef): SimAsset {
      const state = core.stateOf(ref);
      state.deletedAt = core.now();
      core.touch(state, { master: true, asset: true });
      return result(ref);
    },

    restoreAsset(ref: AssetRef): SimAsset {
      const state = core.stateOf(ref);
      state.deletedAt = undefined;
      core.touch(state, { master: true, asset: true });
      return result(ref);
    },

    purgeAsset(ref: AssetRef): void {
      const state = core.stateOf(ref);
      const asset = core.toAsset(state);
      state.purged = true;
      hardDelete(state.zone, asset);
      core.changed(state.zone);
    },

    hideAsset(ref: AssetRef, hidden = true): SimAsset {
      const state = core.stateOf(ref);
      state.hidden = hidden;
      core.touch(state, { asset: true });
      return result(ref);
    },

    favoriteAsset(ref: AssetRef, favorite = true): SimAsset {
      const state = core.stateOf(ref);
      state.favorite = favorite;
      core.touch(state, { asset: true });
      return result(ref);
    },

    denyAsset(ref: AssetRef, denied = true): SimAsset {
      const state = core.stateOf(ref);
      state.accessDenied = denied;
      core.touch(state, { master: true, asset: true });
      return result(ref);
    },

    setListingFault(ref: AssetRef, fault: SimAsset['listingFault']): SimAsset {
      core.stateOf(ref).listingFault = fault;
      core.views.invalidate();
      return result(ref);
    },

    importAndPurge(count: number, zone: ZoneKey = 'primary'): void {
      core.purgeBurst(zone, core.importBurst(zone, count), count);
      core.changed(zone);
    },

    moveToSharedLibrary(ref: AssetRef): SimAsset {
      const state = core.stateOf(ref);
      if (state.zone === 'shared') throw new Error('the asset is already in the Shared Library');
      hardDelete('primary', core.toAsset(state));
      core.changed('primary');
      state.zone = 'shared';
      core.touch(state, { master: true, asset: true });
      return result(ref);
    },
  };
}
