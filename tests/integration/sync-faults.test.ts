import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssetResource, ICloudAsset } from '../../src-main/icloud/photos/asset.js';
import type { DownloadOptions, PhotoSource } from '../../src-main/icloud/photos/photo-source.js';
import { partPath, RESUME_OVERLAP } from '../../src-main/sync/download-file.js';
import { runSync } from '../../src-main/sync/engine.js';
import { MARKER_FILE } from '../../src-main/sync/folder-marker.js';
import { collect } from './photos-helpers.js';
import { contentRequests, expectedFileKeys, expectFilesMatchSimulator, listFolder, syncWorlds, tempDirOf, type SyncWorld } from './sync-helpers.js';

/** Files under final names (not the engine's own) must all be tracked and complete. */
function expectNoStrays(world: SyncWorld): void {
  const tracked = new Set(world.tracked().filter((f) => f.state === 'downloaded').map((f) => f.relPath));
  const finals = Object.keys(listFolder(world.folder)).filter((p) => p !== MARKER_FILE && !p.startsWith('.icloud-photo-sync-tmp/'));
  expect(finals.sort()).toEqual([...tracked].sort());
}

/** Photos of 300-600 KiB: half of one is several resume overlaps. */
const BIG_PHOTOS = { photo: [300 * 1024, 600 * 1024] as [number, number] };

describe('sync: faults and interruptions, through the real client', () => {
  const openWorld = syncWorlds();

  it('connection resets, truncated bodies and 5xx answers still end with exactly the right files', async () => {
    const world = await openWorld({ assets: 30, seed: 7 });
    world.session.sim.setFaults({ resetRate: 0.3, truncateRate: 0.2, errorRate: 0.05 });
    const first = await world.run();
    expect(['success', 'partial']).toContain(first.outcome);
    for (const failure of first.failures) expect(failure.message.length).toBeGreaterThan(0);
    expect(first.failures.length).toBe(first.counts!.download - first.downloaded);
    expectFilesMatchSimulator(world);
    expectNoStrays(world);
    expect(world.session.sim.requestLog().some((e) => e.fault !== undefined)).toBe(true);

    world.session.sim.setFaults({ resetRate: 0, truncateRate: 0, errorRate: 0 });
    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'success', failures: [] });
    expect(second.downloaded).toBe(first.failures.length);
    const keys = expectFilesMatchSimulator(world).map((f) => `${f.assetId}/${f.version}`).sort();
    expect(keys).toEqual(expectedFileKeys(world.session.library.assets()));
  });

  it('files many write buffers long, four at a time through resets and cut bodies, are exact byte for byte', async () => {
    // 1.1-2.7 MB: each spans several of the 512 KiB write buffers that downloads share and reuse,
    // and network chunks never line up with them; a buffer reused too early would corrupt a file.
    const world = await openWorld({ assets: 12, seed: 5, sizes: { photo: [1100 * 1024, 2700 * 1024] } });
    world.session.sim.setFaults({ resetRate: 0.2, truncateRate: 0.2 });
    const first = await world.run({ concurrency: 4 });
    expect(['success', 'partial']).toContain(first.outcome);
    expectFilesMatchSimulator(world);
    world.session.sim.setFaults({ resetRate: 0, truncateRate: 0 });
    const second = await world.run({ concurrency: 4 });
    expect(second).toMatchObject({ outcome: 'success', failures: [] });
    const files = expectFilesMatchSimulator(world);
    expect(files.filter((f) => f.size > 2 * 512 * 1024).length).toBeGreaterThan(0);
    expect(files.map((f) => `${f.assetId}/${f.version}`).sort()).toEqual(expectedFileKeys(world.session.library.assets()));
    expectNoStrays(world);
  });

  it('downloads leave no abort listener behind, even with retries (no MaxListenersExceeded warning)', async () => {
    const world = await openWorld({ assets: 40, seed: 9 });
    world.session.sim.setFaults({ resetRate: 0.2, errorRate: 0.05 });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const result = await world.run({ concurrency: 2, signal: new AbortController().signal });
      expect(result.downloaded).toBeGreaterThanOrEqual(30);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  /** A resource big enough that half of it is well past the resume overlap, its half written as a temp file. */
  async function halfDownloaded(world: SyncWorld) {
    const assets = await collect(world.session.photos.listAssets({ includeShared: true, includeHidden: false }));
    const big = (r: AssetResource) => r.size > 4 * RESUME_OVERLAP;
    const asset = assets.find((a) => a.resources.some(big))!;
    const resource = asset.resources.find(big)!;
    const half = world.session.library.contentOf(resource.fileChecksum)!.read(0, Math.floor(resource.size / 2));
    const part = partPath(world.folder, asset, resource);
    mkdirSync(dirname(part), { recursive: true });
    return { asset, resource, half, part };
  }

  /** Runs with the real source, watched: which offsets did the engine ask for? */
  async function runWatched(world: SyncWorld) {
    const real = world.session.newRun();
    const requested: Array<{ checksum: string; offset: number }> = [];
    const watched: PhotoSource = new Proxy(real, {
      get: (target, key, receiver) =>
        key === 'download'
          ? (a: ICloudAsset, r: AssetResource, o: DownloadOptions) => {
              requested.push({ checksum: r.fileChecksum, offset: o.offset });
              return target.download(a, r, o);
            }
          : (Reflect.get(target, key, receiver) as unknown),
    });
    const summary = await runSync({ source: watched, folder: world.folder, databasePath: world.databasePath });
    return { summary, requested };
  }

  it('resumes a half-downloaded temp file with a Range request, re-checking the bytes just before the resume point', async () => {
    const world = await openWorld({ assets: 6, sizes: BIG_PHOTOS });
    const { resource, half, part } = await halfDownloaded(world);
    writeFileSync(part, half);
    const { summary, requested } = await runWatched(world);
    expect(summary).toMatchObject({ outcome: 'success', failures: [] });
    // Only the half-done file starts past zero: one overlap before where its temp file ended.
    expect(requested.filter((r) => r.offset !== 0)).toEqual([{ checksum: resource.fileChecksum, offset: half.length - RESUME_OVERLAP }]);
    expect(contentRequests(world, 206)).toBeGreaterThan(0);
    expect(world.tracked().find((f) => f.fileChecksum === resource.fileChecksum)?.size).toBe(resource.size);
    expectFilesMatchSimulator(world);
    expect(existsSync(tempDirOf(world))).toBe(false);
  });

  it('a temp file whose tail is zeros (power cut) is not resumed: it is fetched again, and the file is exact', async () => {
    const world = await openWorld({ assets: 6, sizes: BIG_PHOTOS });
    const { resource, half, part } = await halfDownloaded(world);
    const damaged = Buffer.from(half);
    damaged.fill(0, damaged.length - 4096);
    writeFileSync(part, damaged);
    const { summary, requested } = await runWatched(world);
    expect(summary).toMatchObject({ outcome: 'success', failures: [] });
    expect(requested.filter((r) => r.checksum === resource.fileChecksum).map((r) => r.offset)).toEqual([half.length - RESUME_OVERLAP, 0]);
    expectFilesMatchSimulator(world);
  });

  it('bytes that arrived before a body was cut short stay in the temp file, so the next run resumes after them', async () => {
    // Files well under the 512 KiB the engine gathers per write: a cut body must not throw away what came.
    const world = await openWorld({ assets: 8, seed: 11 });
    world.session.sim.setFaults({ truncateRate: 1 });
    const first = await world.run({ concurrency: 2 });
    expect(first.downloaded).toBe(0);
    const parts = readdirSync(tempDirOf(world)).filter((name) => name.endsWith('.part'));
    expect(parts.length).toBeGreaterThan(0);
    for (const name of parts) expect(statSync(join(tempDirOf(world), name)).size).toBeGreaterThan(0);

    world.session.sim.setFaults({ truncateRate: 0 });
    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'success', failures: [] });
    expect(contentRequests(world, 206)).toBeGreaterThan(0);
    expectFilesMatchSimulator(world);
  });

  it('a run stopped mid-transfer leaves only complete, tracked files; the next run finishes the job', async () => {
    const world = await openWorld({ assets: 30, faults: { slowMs: 5 } });
    const controller = new AbortController();
    const first = await world.run({
      concurrency: 4,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'file' && e.outcome === 'downloaded') controller.abort();
      },
    });
    expect(first).toMatchObject({ outcome: 'interrupted', errorCode: 'INTERRUPTED' });
    expect(first.downloaded).toBeGreaterThan(0);
    expectFilesMatchSimulator(world);
    expectNoStrays(world);

    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'success', failures: [] });
    const keys = expectFilesMatchSimulator(world).map((f) => `${f.assetId}/${f.version}`).sort();
    expect(keys).toEqual(expectedFileKeys(world.session.library.assets()));
    expectNoStrays(world);
  });
});
