import { describe, expect, it } from 'vitest';
import type { CloudKitTransport } from '../../src-main/icloud/photos/cloudkit-transport.js';
import type { SimAsset, SimLibrary, SimSizes } from '../sim/library/index.js';
import { syncWorlds, type SyncWorld } from './sync-helpers.js';

/** Small files: these tests are about the listing, not the downloads. */
const SMALL: Partial<SimSizes> = { photo: [2048, 4096], video: [4096, 8192], raw: [4096, 8192], liveVideo: [4096, 8192] };
const LIST_INDEX = 'CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted';

type Change = (library: SimLibrary, listedFirst: SimAsset[]) => void;

/**
 * Runs `change` once, right after the `afterPage`-th page of the personal library's listing was
 * answered (and before the client sees it): the library changes while later pages are still read.
 */
function changeDuringListing(library: SimLibrary, afterPage: number, change: Change) {
  let pages = 0;
  let done = false;
  return (transport: CloudKitTransport): CloudKitTransport => ({
    async post(database, path, body) {
      const answer = await transport.post(database, path, body);
      const query = (body as { query?: { recordType?: string }; zoneID?: { zoneName?: string } }).query;
      const zoneName = (body as { zoneID?: { zoneName?: string } }).zoneID?.zoneName;
      if (!done && path === 'records/query' && query?.recordType === LIST_INDEX && zoneName === library.primaryZoneName) {
        pages += 1;
        if (pages === afterPage) {
          done = true;
          // The newest photos: listed on the first page, long before the later pages are read.
          change(library, library.list(library.primaryZoneName, 'all', 0, 10));
        }
      }
      return answer;
    },
  });
}

/** Visible photos iCloud hands out (in the final state of the library) that have no downloaded original. */
function missingPhotos(world: SyncWorld): string[] {
  const have = new Set(world.tracked().filter((f) => f.state === 'downloaded' && f.version === 'original').map((f) => f.assetId));
  // A revoked shared photo (ACCESS_DENIED, issue 8) is refused by iCloud: noted as needing attention, never downloaded.
  return [...world.session.library.assets()].filter((a) => !a.isDeleted && !a.isHidden && !a.accessDenied && !have.has(a.masterId)).map((a) => a.masterId);
}

const CHANGES: Array<[string, Change]> = [
  ['6 listed photos trashed', (lib, listed) => listed.slice(0, 6).forEach((a) => lib.deleteAsset(a))],
  ['4 listed photos hidden', (lib, listed) => listed.slice(0, 4).forEach((a) => lib.hideAsset(a))],
  ['5 listed photos purged', (lib, listed) => listed.slice(0, 5).forEach((a) => lib.purgeAsset(a))],
  ['3 listed photos moved to the Shared Library', (lib, listed) => listed.slice(0, 3).forEach((a) => lib.moveToSharedLibrary(a))],
  ['2 photos added and 3 trashed', (lib, listed) => {
    lib.addAsset();
    lib.addAsset();
    listed.slice(0, 3).forEach((a) => lib.deleteAsset(a));
  }],
];

describe('sync: the library changes while the full listing reads its pages', () => {
  const openWorld = syncWorlds();

  for (const parallelism of [1, 6]) {
    for (const [name, change] of CHANGES) {
      it(`${name} (${parallelism === 1 ? 'sequential' : `${parallelism} parallel`} pages): every visible photo is there after the run`, async () => {
        const world = await openWorld({ assets: 400, sharedAssets: 20, sizes: SMALL });
        const lib = world.session.library;
        const before = new Set([...lib.assets()].map((a) => a.masterId));
        const first = await world.run({}, { wrap: changeDuringListing(lib, 2, change), listing: { parallelism } });
        expect(first.listing).toBe('full');
        // Only a photo purged after it was listed may fail to download (its file is gone from iCloud).
        const stillThere = new Set([...lib.assets()].map((a) => a.masterId));
        expect(first.failures.filter((f) => stillThere.has(f.assetId) || !before.has(f.assetId))).toEqual([]);
        expect(missingPhotos(world)).toEqual([]);
        expect(first.outcome).toBe(first.failures.length > 0 ? 'partial' : 'success');

        // The next run carries on (from the change feed after a success) and still has everything.
        const second = await world.run({}, { listing: { parallelism } });
        expect(second.outcome).toBe('success');
        if (first.outcome === 'success') expect(second.listing).toBe('incremental');
        expect(missingPhotos(world)).toEqual([]);
      });
    }
  }
});
