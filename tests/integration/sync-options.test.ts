/**
 * The selection options through the real client and simulator: only the N most recent, only items
 * after a date, albums to include, RAW+JPEG pairs, hidden photos and the shared library.
 */
import { describe, expect, it } from 'vitest';
import type { SimAsset } from '../sim/library/index.js';
import { expectFilesMatchSimulator, syncWorlds, type SyncWorld } from './sync-helpers.js';

const visible = (world: SyncWorld): SimAsset[] => [...world.session.library.assets()].filter((a) => !a.isDeleted && !a.isHidden && !a.accessDenied);
/** Masters with a tracked file (an edit's identity starts with its master's). */
const trackedAssets = (world: SyncWorld) => [...new Set(world.tracked().map((f) => f.assetId.split(':')[0]))].sort();
const idsOf = (assets: SimAsset[]) => [...new Set(assets.map((a) => a.masterId))].sort();

describe('sync: what to download', () => {
  const openWorld = syncWorlds();

  it('only the N most recent items (by capture date)', async () => {
    const world = await openWorld({ assets: 30, sharedAssets: 4, seed: 31 });
    const result = await world.run({ recent: 5 });
    expect(result).toMatchObject({ outcome: 'success', listing: 'full' });
    const newest = visible(world).sort((a, b) => b.assetDate - a.assetDate).slice(0, 5);
    expect(trackedAssets(world)).toEqual(idsOf(newest));
    expect(result.counts?.filtered).toBe(visible(world).length - 5);
    expectFilesMatchSimulator(world);
  });

  it('only items captured on or after a date', async () => {
    const world = await openWorld({ assets: 30, seed: 32 });
    const dates = visible(world).map((a) => a.assetDate).sort((a, b) => a - b);
    const cut = dates[Math.floor(dates.length / 2)]!;
    await world.run({ capturedAfter: cut });
    const expected = visible(world).filter((a) => a.assetDate >= cut);
    expect(expected.length).toBeGreaterThan(0);
    expect(trackedAssets(world)).toEqual(idsOf(expected));
  });

  it('only the albums asked for', async () => {
    const world = await openWorld({ assets: 60, seed: 33 });
    const library = world.session.library;
    const family = library.albums(library.primaryZoneName).find((a) => a.name === 'Family')!;
    const members = visible(world).filter((a) => a.albumIds.includes(family.id));
    expect(members.length).toBeGreaterThan(0);
    await world.run({ albums: ['Family'] });
    expect(trackedAssets(world)).toEqual(idsOf(members));
    expectFilesMatchSimulator(world);
  });

  it('RAW+JPEG pairs off, hidden photos on, shared library off', async () => {
    const world = await openWorld({ assets: 60, sharedAssets: 6, seed: 34 });
    const library = world.session.library;
    const personal = [...library.assets(library.primaryZoneName)].filter((a) => !a.isDeleted);
    expect(personal.some((a) => a.isHidden)).toBe(true);
    expect(personal.some((a) => a.isRawPair)).toBe(true);
    await world.run({ rawAlternatives: false, includeHidden: true, includeShared: false });
    const files = world.tracked();
    expect(files.some((f) => f.version === 'alternative')).toBe(false);
    expect(trackedAssets(world)).toEqual(idsOf(personal));

    // Turning pairs back on brings only the missing halves; the rest is already here.
    const second = await world.run({ rawAlternatives: true, includeHidden: true, includeShared: false });
    expect(second.downloaded).toBe(personal.filter((a) => a.isRawPair).length);
    expect(second.counts?.alreadyHave).toBe(files.length);
    expectFilesMatchSimulator(world);
  });
});
