import { describe, expect, it } from 'vitest';
import { DEFAULT_LISTING_PARALLELISM, PAGE_STEP } from '../../src-main/icloud/photos/ranked-pages.js';
import { fallbackFilename } from '../../src-main/icloud/photos/resource-names.js';
import { cloudKitCalls, collect, expectedResources, photoSessions, reportedResources } from './photos-helpers.js';

const PERSONAL = { includeShared: false, includeHidden: false };

describe('photos: listing the library from the simulator', () => {
  const openSession = photoSessions();

  it('lists a 20,000-asset library completely, newest first, 100 assets a page', async () => {
    const session = await openSession({ assets: 20_000 });
    const { sim, library, photos } = session;
    const visible = library.count(library.primaryZoneName, 'all') ?? 0;
    expect(visible).toBeGreaterThan(18_000); // the generator hides and trashes a few percent
    expect(await photos.countAssets(PERSONAL)).toBe(visible);
    const queriesBefore = cloudKitCalls(sim, '/records/query');
    const ids: string[] = [];
    // Entries, by CPLAsset record name: Duplicates share a master id.
    for await (const asset of photos.listAssets(PERSONAL)) ids.push(asset.assetRecordName);
    expect(ids).toHaveLength(visible);
    expect(new Set(ids).size).toBe(visible);
    const listedInOrder = library.list(library.primaryZoneName, 'all', 0, 20_000);
    expect([...ids].sort()).toEqual(listedInOrder.map((a) => a.id).sort());
    // Newest first, except the generated record problems: fetched again at the end of the listing.
    const faulted = new Set(listedInOrder.filter((a) => a.listingFault).map((a) => a.id));
    expect(faulted.size).toBeGreaterThan(0);
    expect(ids.slice(0, -faulted.size)).toEqual(listedInOrder.map((a) => a.id).filter((id) => !faulted.has(id)));
    // Pages of 100 every 95 ranks (neighbours overlap by 5), the last partial page, the empty page
    // that ends the listing, and at most a few pages asked for in parallel beyond the end.
    const pages = cloudKitCalls(sim, '/records/query') - queriesBefore;
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(visible / PAGE_STEP) + 1);
    expect(pages).toBeLessThanOrEqual(Math.ceil(visible / PAGE_STEP) + DEFAULT_LISTING_PARALLELISM);
    const withHidden = library.count(library.primaryZoneName, 'hidden') ?? 0;
    expect(await photos.countAssets({ includeShared: false, includeHidden: true })).toBe(visible + withHidden);
    expect(photos.currentTokens()).toEqual([
      { zoneName: 'PrimarySync', library: 'personal', token: library.zoneSyncToken('PrimarySync') },
    ]);
  }, 120_000);

  it('hands the engine every field, matching what the library holds', async () => {
    const session = await openSession({ assets: 300 });
    const { library, photos } = session;
    // With hidden items: the generated library hides the NFD-named photo.
    const listed = await collect(photos.listAssets({ includeShared: false, includeHidden: true }));
    const zone = library.primaryZoneName;
    expect(listed.length).toBe((library.count(zone, 'all') ?? 0) + (library.count(zone, 'hidden') ?? 0));
    for (const asset of listed) {
      const sim = library.getAsset(asset.assetRecordName);
      expect(sim, asset.assetRecordName).toBeDefined();
      if (!sim) continue;
      expect(asset).toMatchObject({
        id: sim.masterId,
        assetRecordName: sim.id,
        masterRecordName: sim.masterId,
        zoneName: 'PrimarySync',
        library: 'personal',
        filename: sim.filename === null ? fallbackFilename(sim.masterId, sim.itemType) : sim.filename.normalize('NFC'),
        mediaType: sim.kind === 'mov' ? 'video' : 'photo',
        assetDate: sim.assetDate,
        addedDate: sim.addedDate,
        timeZoneOffsetSeconds: sim.timeZoneOffset,
        isFavorite: sim.isFavorite,
        isHidden: sim.isHidden,
        changeTag: sim.assetChangeTag,
        adjustmentType: sim.adjustmentType ?? null,
      });
      expect(reportedResources(asset)).toEqual(expectedResources(sim));
    }
    // The library holds the variety the mapping has to cope with.
    expect(listed.some((a) => a.resources.some((r) => r.version === 'live-video'))).toBe(true);
    expect(listed.some((a) => a.resources.some((r) => r.version === 'alternative'))).toBe(true);
    expect(listed.some((a) => a.resources.some((r) => r.version === 'edited'))).toBe(true);
    expect(listed.some((a) => a.mediaType === 'video')).toBe(true);
    // Apple's NFD names arrive NFC-normalised.
    const nfd = listed.filter((a) => library.getAsset(a.assetRecordName)?.filename === 'Jo\u0308rg.jpg');
    expect(nfd.map((a) => a.filename)).toEqual(['J\u00f6rg.jpg']);
    expect(listed.every((a) => a.filename === a.filename.normalize('NFC'))).toBe(true);
  });

  it('adds the Shared Library only when asked, marked as shared', async () => {
    const session = await openSession({ assets: 30, sharedAssets: 20 });
    const { library, photos } = session;
    const personalCount = library.count(library.primaryZoneName, 'all') ?? 0;
    const sharedCount = library.count(library.sharedZoneName, 'all') ?? 0;
    expect(sharedCount).toBeGreaterThan(10);
    // One generated shared item is revoked (ACCESS_DENIED): counted by iCloud, never listed.
    const revoked = [...library.assets(library.sharedZoneName)].filter((a) => a.accessDenied && !a.isHidden && !a.isDeleted).length;
    expect(revoked).toBe(1);
    expect(await photos.countAssets(PERSONAL)).toBe(personalCount);
    const personal = await collect(photos.listAssets(PERSONAL));
    expect(personal.length).toBe(personalCount);
    expect(personal.every((a) => a.library === 'personal')).toBe(true);
    const scope = { includeShared: true, includeHidden: false };
    expect(await photos.countAssets(scope)).toBe(personalCount + sharedCount);
    const all = await collect(photos.listAssets(scope));
    const shared = all.filter((a) => a.library === 'shared');
    expect(shared).toHaveLength(sharedCount - revoked);
    expect(shared.map((a) => a.id).sort()).toEqual([...library.assets(library.sharedZoneName)].filter((a) => !a.isHidden && !a.isDeleted && !a.accessDenied).map((a) => a.masterId).sort());
    expect(new Set(shared.map((a) => a.zoneName))).toEqual(new Set([library.sharedZoneName]));
    expect(photos.currentTokens().map((t) => t.zoneName)).toEqual(['PrimarySync', library.sharedZoneName]);
  });

  it('lists hidden items only when asked, flagged as hidden', async () => {
    const session = await openSession({ assets: 40 });
    const { library, photos } = session;
    [3, 10, 21].forEach((serial) => library.hideAsset(serial));
    const hidden = [...library.assets()].filter((a) => a.isHidden && !a.isDeleted).map((a) => a.id);
    const visibleCount = library.count(library.primaryZoneName, 'all') ?? 0;
    expect(await photos.countAssets(PERSONAL)).toBe(visibleCount);
    const visible = await collect(photos.listAssets(PERSONAL));
    expect(visible).toHaveLength(visibleCount);
    expect(visible.filter((a) => hidden.includes(a.assetRecordName))).toEqual([]);
    const scope = { includeShared: false, includeHidden: true };
    expect(await photos.countAssets(scope)).toBe(visibleCount + hidden.length);
    const withHidden = await collect(photos.listAssets(scope));
    expect(withHidden).toHaveLength(visibleCount + hidden.length);
    expect(withHidden.filter((a) => a.isHidden).map((a) => a.assetRecordName).sort()).toEqual([...hidden].sort());
  });

  it('lists albums with their folders and contents, skipping root folders and deleted albums', async () => {
    const session = await openSession({ assets: 1_000 });
    const { library, photos } = session;
    const albums = await photos.listAlbums();
    const expected = library
      .albums(library.primaryZoneName)
      .filter((a) => a.albumType !== 3 && !a.isDeleted && !a.id.startsWith('----'));
    expect(albums.map((a) => a.id).sort()).toEqual(expected.map((a) => a.id).sort());
    const summer = albums.find((a) => a.name === 'Summer 2019');
    const trips = library.albums(library.primaryZoneName).find((a) => a.name === 'Trips');
    expect(summer).toMatchObject({ path: [trips?.id], pathNames: ['Trips'], library: 'personal' });
    expect(albums.some((a) => a.name === 'J\u00f6rg\u2019s birthday')).toBe(true);
    const family = albums.find((a) => a.name === 'Family');
    if (!family) throw new Error('no Family album');
    const members = [...library.assets(library.primaryZoneName)]
      .filter((a) => a.albumIds.includes(family.id) && !a.isHidden && !a.isDeleted)
      .map((a) => a.masterId);
    // A member whose records come with a transient error is fetched again, not left out.
    library.setListingFault(members[3]!, { kind: 'error', code: 'RETRY_LATER', inLookups: false });
    const ids = await collect(photos.listAlbumAssetIds(family.id));
    expect(members.length).toBeGreaterThan(66); // more than one page of album contents
    expect(ids.sort()).toEqual(members.sort());
    const empty = albums.find((a) => a.name === 'Empty');
    expect(await collect(photos.listAlbumAssetIds(empty?.id ?? ''))).toEqual([]);
  });

  it('finishes a listing when the web session expires in the middle of it', async () => {
    const session = await openSession({ assets: 3_000 });
    const { sim, library, photos } = session;
    sim.setFaults({ expireSessionAfterRequests: 8 });
    const ids = (await collect(photos.listAssets(PERSONAL))).map((a) => a.assetRecordName);
    expect(ids.sort()).toEqual(library.list(library.primaryZoneName, 'all', 0, 3_000).map((a) => a.id).sort());
    // The listing really outlived several web sessions.
    expect(sim.requestLog().filter((e) => e.role === 'setup' && e.path.endsWith('/accountLogin')).length).toBeGreaterThan(2);
  });

  it('says iCloud is not ready while the library is still indexing', async () => {
    const session = await openSession({ assets: 5, conditions: { indexing: true } });
    await expect(session.photos.countAssets(PERSONAL)).rejects.toMatchObject({ code: 'ICLOUD_NOT_READY' });
    await expect(collect(session.photos.listAssets(PERSONAL))).rejects.toMatchObject({ code: 'ICLOUD_NOT_READY' });
  });
});
