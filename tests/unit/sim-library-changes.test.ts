import { describe, expect, it } from 'vitest';
import { createSimLibrary, type SimChange, type SimLibrary } from '../sim/library/index.js';

const PRIMARY = 'PrimarySync';

/** Follows the feed from `token` until moreComing is false. */
function drain(library: SimLibrary, zone: string, token: string | undefined, limit = 50): { changes: SimChange[]; token: string } {
  const changes: SimChange[] = [];
  let next = token;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = library.changes(zone, next, limit);
    if (!page.ok) throw new Error(page.reason);
    changes.push(...page.changes);
    next = page.syncToken;
    if (!page.moreComing) return { changes, token: next };
  }
  throw new Error('feed never ended');
}

const names = (changes: SimChange[]) =>
  changes.map((c) => (c.type === 'purged' ? `purged:${c.recordName}` : c.type === 'other' ? `${c.recordType}:${c.recordName}` : c.type === 'album' ? `album:${c.album.id}` : `${c.type}:${c.type === 'master' ? c.asset.masterId : c.asset.id}`));

/** Names of the asset, master and album records, leaving out side records and their tombstones. */
const photoNames = (changes: SimChange[]) =>
  names(changes.filter((c) => c.type !== 'other' && !(c.type === 'purged' && /-IN-|-r\d+$/.test(c.recordName))));

describe('sim library change feed and test helpers', () => {
  it('yields the full history once, in pages, then nothing from the returned token', () => {
    const library = createSimLibrary({ seed: 2, assets: 120, sharedAssets: 5 });
    const { changes, token } = drain(library, PRIMARY, undefined, 37);
    const assets = [...library.assets(PRIMARY)];
    expect(changes.filter((c) => c.type === 'asset')).toHaveLength(assets.length);
    // One master record per master: a Duplicate shares its source's.
    expect(changes.filter((c) => c.type === 'master')).toHaveLength(new Set(assets.map((a) => a.masterId)).size);
    expect(assets.some((a) => a.duplicateOf !== undefined)).toBe(true);
    expect(changes.filter((c) => c.type === 'album').length).toBe(library.albums(PRIMARY).length);
    expect(new Set(names(changes)).size).toBe(changes.length);
    expect(token).toBe(library.zoneSyncToken(PRIMARY));
    expect(drain(library, PRIMARY, token).changes).toEqual([]);
    expect(library.changes(PRIMARY, '', 10)).toMatchObject({ ok: true, changes: [], moreComing: false });
    expect(drain(library, library.sharedZoneName, undefined).changes.filter((c) => c.type === 'asset')).toHaveLength(5);
  });

  it('refuses bad tokens and tokens of another zone', () => {
    const library = createSimLibrary({ seed: 2, assets: 10, sharedAssets: 1 });
    expect(library.changes(PRIMARY, 'garbage', 10).ok).toBe(false);
    expect(library.changes(PRIMARY, library.zoneSyncToken(library.sharedZoneName), 10).ok).toBe(false);
    const foreign = createSimLibrary({ seed: 3, assets: 10 }).zoneSyncToken(PRIMARY);
    expect(library.changes(PRIMARY, foreign, 10).ok).toBe(false);
    expect(library.changes('SharedSync', undefined, 10).ok).toBe(false);
    expect(library.databaseChanges('garbage').ok).toBe(false);
  });

  it('records adds, edits, deletes, restores, hides, favourites and purges in the feed and the views', () => {
    const library = createSimLibrary({ seed: 4, assets: 200, now: () => Date.UTC(2026, 10, 1) });
    const start = library.zoneSyncToken(PRIMARY);
    const total = library.count(PRIMARY, 'all') ?? 0;
    const [a, b, c, d, e] = library.list(PRIMARY, 'all', 10, 5).filter((x) => x.kind !== 'png');
    if (!a || !b || !c || !d || !e) throw new Error('not enough assets');

    const added = library.addAsset({ kind: 'heic', live: true, filename: 'new.HEIC' });
    expect(library.list(PRIMARY, 'all', 0, 1)[0]?.id).toBe(added.id);
    expect(added.isLive).toBe(true);

    const edited = library.editAsset(a);
    expect(edited.assetChangeTag).not.toBe(a.assetChangeTag);
    expect(edited.masterChangeTag).toBe(a.masterChangeTag);
    const rendition = edited.resources.find((r) => r.on === 'asset');
    const before = a.resources.find((r) => r.on === 'asset');
    expect(rendition?.fileChecksum).not.toBe(before?.fileChecksum);
    expect(library.contentOf(rendition?.fileChecksum ?? '')?.size).toBe(rendition?.size);

    expect(library.deleteAsset(b).isDeleted).toBe(true);
    expect(library.list(PRIMARY, 'deleted', 0, 1)[0]?.id).toBe(b.id);
    library.deleteAsset(c);
    expect(library.restoreAsset(c).isDeleted).toBe(false);
    expect(library.hideAsset(d).isHidden).toBe(true);
    expect(library.list(PRIMARY, 'hidden', 0, 1000).map((x) => x.id)).toContain(d.id);
    expect(library.favoriteAsset(e).isFavorite).toBe(true);
    library.purgeAsset(e);
    expect(library.getAsset(e.id)).toBeUndefined();
    expect(library.contentOf(e.masterId)).toBeUndefined();

    expect(library.count(PRIMARY, 'all')).toBe(total + 1 - 3);
    const { changes } = drain(library, PRIMARY, start);
    // Side records of types downloaders do not use come interleaved, each once at its latest version.
    const others = changes.filter((x) => x.type === 'other');
    expect(others.map((x) => x.type === 'other' && x.recordType)).toContain('CPLLibraryInfo');
    expect(others.length).toBeGreaterThan(1);
    expect(new Set(names(changes)).size).toBe(changes.length);
    const relations = e.albumIds.map((albumId) => `purged:${e.id}-IN-${albumId}`);
    expect(names(changes)).toEqual(expect.arrayContaining(relations));
    expect(photoNames(changes).sort()).toEqual(
      [
        `master:${added.masterId}`, `asset:${added.id}`, `asset:${a.id}`,
        `master:${b.masterId}`, `asset:${b.id}`, `master:${c.masterId}`, `asset:${c.id}`,
        `asset:${d.id}`, `purged:${e.id}`, `purged:${e.masterId}`,
      ].sort(),
    );
  });

  it('moves an asset to the Shared Library with the same master fingerprint', () => {
    const library = createSimLibrary({ seed: 5, assets: 50, sharedAssets: 2 });
    const databaseToken = library.databaseChanges();
    const primaryToken = library.zoneSyncToken(PRIMARY);
    const sharedToken = library.zoneSyncToken(library.sharedZoneName);
    const asset = library.list(PRIMARY, 'all', 3, 1)[0];
    if (!asset || !databaseToken.ok) throw new Error('setup');
    const moved = library.moveToSharedLibrary(asset);
    expect(moved.zoneName).toBe(library.sharedZoneName);
    expect(moved.masterId).toBe(asset.masterId);
    expect(photoNames(drain(library, PRIMARY, primaryToken).changes).sort()).toEqual([`purged:${asset.id}`, `purged:${asset.masterId}`].sort());
    expect(photoNames(drain(library, library.sharedZoneName, sharedToken).changes).sort()).toEqual([`asset:${asset.id}`, `master:${asset.masterId}`].sort());
    expect(library.databaseChanges(databaseToken.syncToken)).toMatchObject({ ok: true, zoneNames: [PRIMARY, library.sharedZoneName] });
    const after = library.databaseChanges();
    library.hideAsset(library.list(PRIMARY, 'all', 0, 1)[0] ?? 0);
    expect(after.ok && library.databaseChanges(after.syncToken)).toMatchObject({ ok: true, zoneNames: [PRIMARY] });
  });

  it('lists views newest first, both directions, and keeps hidden and deleted out of the main index', () => {
    const library = createSimLibrary({ seed: 6, assets: 500 });
    const main = library.list(PRIMARY, 'all', 0, 1000);
    expect(main).toHaveLength(library.count(PRIMARY, 'all') ?? -1);
    for (let i = 1; i < main.length; i++) expect(main[i - 1]?.assetDate).toBeGreaterThanOrEqual(main[i]?.assetDate ?? 0);
    expect(main.some((a) => a.isHidden || a.isDeleted)).toBe(false);
    const last = main.length - 1;
    expect(library.list(PRIMARY, 'all', last, 3, 'DESCENDING').map((a) => a.id)).toEqual(main.slice(last - 2).reverse().map((a) => a.id));
    expect(library.list(PRIMARY, 'videos', 0, 1000).every((a) => a.kind === 'mov')).toBe(true);
    expect(library.list(PRIMARY, 'live', 0, 1000).every((a) => a.isLive)).toBe(true);
    expect(library.list(PRIMARY, 'favorites', 0, 1000).every((a) => a.isFavorite)).toBe(true);
    const family = library.albums(PRIMARY).find((a) => a.name === 'Family');
    const members = library.list(PRIMARY, `album:${family?.id}`, 0, 1000);
    expect(members.length).toBeGreaterThan(10);
    expect(members.every((a) => a.albumIds.includes(family?.id ?? ''))).toBe(true);
  });

  it('holds 100,000 assets and pages through all of them correctly', () => {
    const library = createSimLibrary({ seed: 9, assets: 100_000 });
    const count = library.count(PRIMARY, 'all') ?? 0;
    expect(count).toBeGreaterThan(90_000);
    const seen = new Set<string>();
    let previous = Number.POSITIVE_INFINITY;
    for (let rank = 0; rank < count; rank += 100) {
      for (const asset of library.list(PRIMARY, 'all', rank, 100)) {
        expect(asset.assetDate <= previous).toBe(true);
        previous = asset.assetDate;
        seen.add(asset.id);
      }
    }
    expect(seen.size).toBe(count);
    const middle = library.list(PRIMARY, 'all', 54_321, 1)[0];
    expect(middle && library.getAsset(middle.id)?.masterId).toBe(middle?.masterId);
    expect(library.changes(PRIMARY, undefined, 200)).toMatchObject({ ok: true, moreComing: true });
  });
});
