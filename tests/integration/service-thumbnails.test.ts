/**
 * Thumbnails of the recent arrivals, through the real path: the service against the simulator
 * (real HTTP, real files, real tracker), the thumbnail cache in the data folder, and the fetcher
 * with links that expired before it ran.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArrivalsStore } from '../../src-main/app/arrivals-store.js';
import { serviceBridge } from '../../src-main/app/service-bridge.js';
import { SyncService } from '../../src-main/app/sync-service.js';
import { ThumbnailCache } from '../../src-main/app/thumbnail-cache.js';
import type { AppBridge } from '../../src-shared/contract.js';
import { fetchThumbnails } from '../../src-main/app/thumbnail-fetcher.js';
import { silentLogger } from '../../src-main/icloud/logger.js';
import { previewOf, type ArrivalPreview } from '../../src-main/icloud/photos/asset.js';
import type { SimResource } from '../sim/library/index.js';
import { bridgeHelpers, openServiceWorld, signedInAndSynced, simClientFactory, type ServiceWorld } from './service-harness.js';

let world: ServiceWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Another service over the world's data folder, as after a restart of the app (no run starts by itself). */
async function startedService(w: ServiceWorld): Promise<{ service: SyncService; bridge: AppBridge } & ReturnType<typeof bridgeHelpers>> {
  const service = new SyncService({ dataDir: w.dataDir, clientFactory: simClientFactory(w.sim), env: {}, firstRunDelayMs: 3_600_000 });
  await service.start();
  const bridge = serviceBridge(service);
  return { service, bridge, ...bridgeHelpers(bridge) };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile());
}

/** The simulator's resJPEGThumb bytes of the asset whose master is `masterId`. */
function simThumbnail(w: ServiceWorld, masterId: string): Buffer {
  const asset = w.sim.library.getAsset(masterId);
  const resource = asset?.resources.find((each: SimResource) => each.field === 'resJPEGThumb');
  const bytes = resource && w.sim.library.contentOf(resource)?.read();
  if (!bytes) throw new Error(`the simulator has no thumbnail for ${masterId}`);
  return bytes;
}

describe('thumbnails of the recent arrivals', () => {
  it('are fetched after a run into <data>/cache/thumbnails, served by the service, and nothing lands in the sync folder', async () => {
    world = await openServiceWorld({ assets: 6, seed: 31 });
    const video = world.sim.library.addAsset({ kind: 'mov', filename: 'CLIP_0001.MOV' });
    const bare = world.sim.library.addAsset({ kind: 'jpeg', filename: 'NO_THUMB.JPG', thumbnail: false });
    await signedInAndSynced(world);
    const snapshot = await world.until((s) => s.recentArrivals.length > 0 && s.recentArrivals.every((a) => a.thumbnail !== 'pending'));

    // Apple renders no JPEG thumbnail for a video: a placeholder with its length, and no request for it.
    const clip = snapshot.recentArrivals.find((a) => a.assetId === video.masterId);
    expect(clip).toMatchObject({ media: 'video', durationSeconds: video.duration, thumbnail: 'none' });
    expect(snapshot.recentArrivals.filter((a) => a.media === 'photo').length).toBeGreaterThan(0);
    // A photo without a thumbnail in the listing: one records/lookup of its master finds none either.
    const noThumbnail = snapshot.recentArrivals.find((a) => a.assetId === bare.masterId);
    expect(noThumbnail).toMatchObject({ media: 'photo', thumbnail: 'none' });
    expect((await world.bridge.getThumbnail(bare.masterId)).available).toBe(false);
    expect((await world.bridge.getThumbnail(video.masterId)).available).toBe(false);
    expect(world.sim.requestLog().filter((entry) => entry.path.endsWith('/records/lookup'))).toHaveLength(1);
    const without = new Set([bare.masterId, ...snapshot.recentArrivals.filter((a) => a.media === 'video').map((a) => a.assetId)]);
    expect(snapshot.recentArrivals.filter((a) => !without.has(a.assetId)).every((a) => a.thumbnail === 'ready')).toBe(true);

    const cacheDir = join(world.dataDir, 'cache', 'thumbnails');
    const ids = [...new Set(snapshot.recentArrivals.map((a) => a.assetId))].filter((id) => !without.has(id));
    const cached = filesUnder(cacheDir);
    expect(cached.map((path) => path.slice(cacheDir.length + 1)).sort()).toEqual(expect.arrayContaining(['index.json']));
    expect(cached).toHaveLength(ids.length + 1);
    const index = JSON.parse(readFileSync(join(cacheDir, 'index.json'), 'utf8')) as { entries: Array<{ key: string }> };
    expect(index.entries.map((entry) => entry.key).sort()).toEqual([...ids].sort());

    const thumbnailHashes = new Set<string>();
    for (const id of ids) {
      const reply = await world.bridge.getThumbnail(id);
      if (!reply.available) throw new Error(`no thumbnail for ${id}: ${reply.message}`);
      expect(reply.contentType).toBe('image/jpeg');
      expect(sha(Buffer.from(reply.bytes))).toBe(sha(simThumbnail(world, id)));
      thumbnailHashes.add(sha(Buffer.from(reply.bytes)));
    }
    expect(await world.bridge.getThumbnail('no-such-asset')).toEqual({ available: false, message: expect.stringMatching(/No thumbnail/) });

    // The sync folder holds the library's files and nothing else: no thumbnail, no cache.
    const synced = filesUnder(world.folder).filter((path) => !path.slice(world!.folder.length + 1).startsWith('.'));
    expect(synced.length).toBeGreaterThan(0);
    for (const path of synced) expect(thumbnailHashes.has(sha(readFileSync(path)))).toBe(false);
    expect(filesUnder(world.folder).some((path) => path.includes('thumbnails'))).toBe(false);
  }, 90_000);

  it('keep to the cache caps: the oldest go first, by count and by size', async () => {
    const caps = { maxCount: 3, maxBytes: 20 * 1024 };
    world = await openServiceWorld({ assets: 10, seed: 32 }, () => ({ thumbnails: caps }));
    await signedInAndSynced(world);
    const snapshot = await world.until((s) => s.recentArrivals.length > 0 && s.recentArrivals.every((a) => a.thumbnail !== 'pending'));
    const ids = new Set(snapshot.recentArrivals.map((a) => a.assetId));
    expect(ids.size).toBeGreaterThan(caps.maxCount);

    const cacheDir = join(world.dataDir, 'cache', 'thumbnails');
    const images = filesUnder(cacheDir).filter((path) => !path.endsWith('index.json'));
    expect(images.length).toBeGreaterThan(0);
    expect(images.length).toBeLessThanOrEqual(caps.maxCount);
    expect(images.reduce((sum, path) => sum + statSync(path).size, 0)).toBeLessThanOrEqual(caps.maxBytes);
    const index = JSON.parse(readFileSync(join(cacheDir, 'index.json'), 'utf8')) as { entries: Array<{ key: string; storedAt: number }> };
    expect(index.entries).toHaveLength(images.length);

    // What was evicted is "not available"; what is kept is served.
    let served = 0;
    for (const id of ids) if ((await world.bridge.getThumbnail(id)).available) served++;
    expect(served).toBe(images.length);

    // A new cache over the same folder (a restart) reads the same index and keeps to the caps on the next store.
    const reopened = new ThumbnailCache(cacheDir, caps);
    expect(await reopened.usage()).toEqual({ count: images.length, bytes: images.reduce((sum, path) => sum + statSync(path).size, 0) });
    expect(await reopened.store('extra', simThumbnail(world, [...ids][0] ?? ''))).toBe(true);
    expect((await reopened.usage()).count).toBeLessThanOrEqual(caps.maxCount);
    expect(filesUnder(cacheDir).filter((path) => !path.endsWith('index.json')).length).toBe((await reopened.usage()).count);
  }, 90_000);

  it('survive a restart: the same arrivals and thumbnails; one still pending when a run stopped is fetched after the next run', async () => {
    world = await openServiceWorld({ assets: 5, seed: 35 });
    await signedInAndSynced(world);
    const before = (await world.until((s) => s.recentArrivals.length > 0 && s.recentArrivals.every((a) => a.thumbnail !== 'pending'))).recentArrivals;
    const thumbnailOf = async (bridge: AppBridge, id: string) => {
      const reply = await bridge.getThumbnail(id);
      return reply.available ? sha(Buffer.from(reply.bytes)) : null;
    };
    const shown = await Promise.all(before.map((a) => thumbnailOf(world?.bridge as AppBridge, a.assetId)));
    expect(shown.filter(Boolean).length).toBe(before.length);
    await world.service.stop();

    // A restart over the same data folder (no run yet): the same strip, the same pictures.
    const restarted = await startedService(world);
    try {
      expect(restarted.service.snapshot().recentArrivals).toEqual(before);
      expect(await Promise.all(before.map((a) => thumbnailOf(restarted.bridge, a.assetId)))).toEqual(shown);
    } finally {
      await restarted.service.stop();
    }

    // What a run that threw before the thumbnails leaves: one arrival pending, its image not cached.
    // A photo the simulator knows by its master (the order of arrivals varies with parallel downloads).
    const first = before.find((a) => a.media === 'photo' && world?.sim.library.getAsset(a.assetId));
    const zoneName = first && world.sim.library.getAsset(first.assetId)?.zoneName;
    if (!first || !zoneName) throw new Error('no photo of the simulator among the arrivals');
    const stored = new ArrivalsStore(world.dataDir);
    const pending = before.map((a) => (a.assetId === first.assetId ? { ...a, thumbnail: 'pending' as const } : a));
    stored.write(world.sim.account.appleId, pending, new Map([[first.assetId, { mediaType: 'photo' as const, durationSeconds: null, zoneName, masterRecordName: first.assetId, thumbnail: null }]]));
    rmSync(join(world.dataDir, 'cache', 'thumbnails'), { recursive: true, force: true });
    // The file holds what finding the thumbnail needs, never a link.
    expect(readFileSync(stored.path, 'utf8')).not.toContain('http');

    const next = await startedService(world);
    try {
      expect(next.service.snapshot().recentArrivals.find((a) => a.assetId === first.assetId)?.thumbnail).toBe('pending');
      const finished = next.nextRunFinished(60_000);
      await next.ok({ type: 'sync-now' });
      expect((await finished).outcome).toBe('success');
      await next.until((s) => s.recentArrivals.find((a) => a.assetId === first.assetId)?.thumbnail === 'ready');
      expect(await thumbnailOf(next.bridge, first.assetId)).toBe(sha(simThumbnail(world, first.assetId)));
      // Kept for the restart after this one too, no longer pending.
      expect(new ArrivalsStore(world.dataDir).read(world.sim.account.appleId).previews.size).toBe(0);
    } finally {
      await next.service.stop();
    }
  }, 120_000);

  it('refresh an expired link with records/lookup, and find one with records/lookup when the listing had none', async () => {
    world = await openServiceWorld({ assets: 4, seed: 33 });
    await signedInAndSynced(world);
    const client = world.service.currentClient;
    if (!client) throw new Error('no client after the first run');
    const source = simClientFactory(world.sim).openPhotos(client, silentLogger);
    const previews = new Map<string, ArrivalPreview>();
    for await (const asset of source.listAssets({ includeShared: false, includeHidden: false })) previews.set(asset.id, previewOf(asset));
    expect([...previews.values()].every((preview) => preview.thumbnail !== null)).toBe(true);
    const [missingId, missing] = [...previews][0] ?? [];
    if (!missingId || !missing) throw new Error('the library is empty');
    previews.set(missingId, { ...missing, thumbnail: null });

    world.sim.expireDownloadUrls();
    const before = world.sim.requestLog().length;
    const dir = mkdtempSync(join(tmpdir(), 'thumbnails-'));
    try {
      const cache = new ThumbnailCache(dir);
      const outcomes = await fetchThumbnails(source, previews, cache, silentLogger);
      expect([...outcomes.values()]).toEqual([...previews.keys()].map(() => 'ready'));
      for (const id of previews.keys()) expect(sha((await cache.read(id))?.bytes ?? Buffer.alloc(0))).toBe(sha(simThumbnail(world, id)));

      const requests = world.sim.requestLog().slice(before);
      const lookups = requests.filter((entry) => entry.path.endsWith('/records/lookup'));
      const refused = requests.filter((entry) => entry.role === 'content' && entry.status === 403);
      // Every captured link was refused once as expired; each of those and the missing one took a lookup.
      expect(refused).toHaveLength(previews.size - 1);
      expect(lookups).toHaveLength(previews.size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
