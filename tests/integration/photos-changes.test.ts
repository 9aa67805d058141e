import { describe, expect, it } from 'vitest';
import type { ZoneSyncToken } from '../../src-main/icloud/photos/photo-source.js';
import { cloudKitCalls, collect, photoSessions, type PhotoSession } from './photos-helpers.js';

const PERSONAL = { includeShared: false, includeHidden: false };

describe('photos: the change feed between runs', () => {
  const openSession = photoSessions();

  async function fullListing(s: PhotoSession, scope = PERSONAL): Promise<ZoneSyncToken[]> {
    await collect(s.photos.listAssets(scope));
    return s.photos.currentTokens();
  }

  it('costs one request with the database position, three without, and reports nothing for an unchanged library', async () => {
    const session = await openSession({ assets: 250 });
    const tokens = await fullListing(session);
    const databaseTokens = session.photos.currentDatabaseTokens?.() ?? [];
    expect(databaseTokens.map((token) => token.database)).toEqual(['private']);
    const nothing = { changed: [], removedIds: [], nextTokens: tokens, problems: { incomplete: [], needsAttention: [] } };
    let before = cloudKitCalls(session.sim);
    const databaseCalls = cloudKitCalls(session.sim, '/changes/database');
    expect(await session.newRun().listChanges(PERSONAL, tokens, databaseTokens)).toEqual({ ...nothing, nextDatabaseTokens: databaseTokens });
    expect(cloudKitCalls(session.sim) - before).toBe(1);
    expect(cloudKitCalls(session.sim, '/changes/database') - databaseCalls).toBe(1);
    // Without it: changes/database for a position, zones/list and changes/zone.
    before = cloudKitCalls(session.sim);
    expect(await session.newRun().listChanges(PERSONAL, tokens)).toEqual({ ...nothing, nextDatabaseTokens: databaseTokens });
    expect(cloudKitCalls(session.sim) - before).toBeLessThanOrEqual(3);
    // A database token iCloud does not take: every zone is read, and a fresh position comes back.
    const bogus = [{ database: 'private' as const, token: 'AQAAAAAAAAAAbogusbogusbogusbogus' }];
    expect(await session.newRun().listChanges(PERSONAL, tokens, bogus)).toEqual({ ...nothing, nextDatabaseTokens: databaseTokens });
  });

  it('reads only what the database position says changed, and hands the change on', async () => {
    const session = await openSession({ assets: 60 });
    const tokens = await fullListing(session);
    const databaseTokens = session.photos.currentDatabaseTokens?.() ?? [];
    const added = session.library.addAsset({ filename: 'IMG_7001.JPG' });
    const changes = await session.newRun().listChanges(PERSONAL, tokens, databaseTokens);
    expect(changes?.changed.map((asset) => asset.id)).toEqual([added.masterId]);
    expect(changes?.nextDatabaseTokens?.[0]?.token).not.toBe(databaseTokens[0]?.token);
  });

  it('reports added, edited, favourited, trashed, purged and hidden assets', async () => {
    const session = await openSession({ assets: 60 });
    const { library } = session;
    const tokens = await fullListing(session);
    const added = library.addAsset({ kind: 'heic', live: true, filename: 'IMG_9001.HEIC' });
    const edited = library.editAsset(5);
    const favourite = library.favoriteAsset(6, true);
    const trashed = library.deleteAsset(7);
    const purgedId = library.getAsset(8)?.masterId;
    library.purgeAsset(8);
    const hidden = library.hideAsset(9);

    const changes = await session.newRun().listChanges(PERSONAL, tokens);
    if (!changes) throw new Error('the change feed was refused');
    const byId = new Map(changes.changed.map((a) => [a.id, a]));
    expect(byId.get(added.masterId)).toMatchObject({ filename: 'IMG_9001.HEIC' });
    expect(byId.get(added.masterId)?.resources.map((r) => r.filename).sort()).toEqual(['IMG_9001.HEIC', 'IMG_9001_HEVC.MOV']);
    expect(byId.get(edited.masterId)?.resources.some((r) => r.version === 'edited')).toBe(true);
    expect(byId.get(edited.masterId)?.changeTag).toBe(edited.assetChangeTag);
    expect(byId.get(favourite.masterId)?.isFavorite).toBe(true);
    expect(changes.removedIds).toEqual(expect.arrayContaining([trashed.masterId, purgedId, hidden.masterId]));
    for (const id of [trashed.masterId, purgedId, hidden.masterId]) expect(byId.has(id ?? '')).toBe(false);
    expect(changes.nextTokens[0]?.token).toBe(library.zoneSyncToken('PrimarySync'));

    // Caught up: the next run sees nothing new.
    const again = await session.newRun().listChanges(PERSONAL, changes.nextTokens);
    expect(again).toMatchObject({ changed: [], removedIds: [] });
  });

  it('reports a restored item and a hidden item when hidden items are synced', async () => {
    const session = await openSession({ assets: 30 });
    const { library } = session;
    const scope = { includeShared: false, includeHidden: true };
    library.deleteAsset(4);
    const tokens = await fullListing(session, scope);
    const restored = library.restoreAsset(4);
    const hidden = library.hideAsset(11);
    const changes = await session.newRun().listChanges(scope, tokens);
    const ids = changes?.changed.map((a) => a.id) ?? [];
    expect(ids).toEqual(expect.arrayContaining([restored.masterId, hidden.masterId]));
    expect(changes?.changed.find((a) => a.id === hidden.masterId)?.isHidden).toBe(true);
    // removedIds may name purged side records (a face crop); never the restored or hidden photo.
    expect(changes?.removedIds.filter((id) => id === restored.masterId || id === hidden.masterId)).toEqual([]);
  });

  it('follows an asset moved into the Shared Library as the same photo', async () => {
    const session = await openSession({ assets: 30, sharedAssets: 5 });
    const { library } = session;
    const scope = { includeShared: true, includeHidden: false };
    const tokens = await fullListing(session, scope);
    const moved = library.moveToSharedLibrary(12);
    const changes = await session.newRun().listChanges(scope, tokens);
    expect(changes?.changed.find((a) => a.id === moved.masterId)).toMatchObject({ library: 'shared', zoneName: library.sharedZoneName });
    expect(changes?.removedIds).not.toContain(moved.masterId);
  });

  it('pages through a long feed with moreComing', async () => {
    const session = await openSession({ assets: 20 });
    const { library } = session;
    const tokens = await fullListing(session);
    const added = Array.from({ length: 250 }, () => library.addAsset().masterId);
    const before = cloudKitCalls(session.sim, '/changes/zone');
    const changes = await session.newRun().listChanges(PERSONAL, tokens);
    expect(changes?.changed.map((a) => a.id).sort()).toEqual([...added].sort());
    expect(cloudKitCalls(session.sim, '/changes/zone') - before).toBeGreaterThan(1);
  });

  it('falls back to a full listing, and says so, when a token is rejected or missing', async () => {
    const session = await openSession({ assets: 10 });
    const bad = [{ zoneName: 'PrimarySync', library: 'personal' as const, token: 'bm90LWEtdG9rZW4' }];
    expect(await session.newRun().listChanges(PERSONAL, bad)).toBeNull();
    expect(session.logLines.some((line) => line.includes('falling back to a full listing') && line.includes('rejected'))).toBe(true);
    expect(await session.newRun().listChanges(PERSONAL, [])).toBeNull();
    expect(session.logLines.some((line) => line.includes('no sync token for zone PrimarySync'))).toBe(true);
  });
});
