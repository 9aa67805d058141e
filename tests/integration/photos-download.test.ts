import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AssetResource, ICloudAsset } from '../../src-main/icloud/photos/asset.js';
import { cloudKitCalls, collect, photoSessions, type PhotoSession } from './photos-helpers.js';

const PERSONAL = { includeShared: false, includeHidden: false };

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('photos: downloading resources from the simulator', () => {
  const openSession = photoSessions();

  function expectedBytes(s: PhotoSession, resource: AssetResource, offset = 0): Buffer {
    const content = s.library.contentOf(resource.fileChecksum);
    if (!content) throw new Error(`the simulator has no content for ${resource.fileChecksum}`);
    expect(content.size).toBe(resource.size);
    return content.read(offset);
  }

  async function someResources(s: PhotoSession, count: number): Promise<Array<[ICloudAsset, AssetResource]>> {
    const assets = await collect(s.photos.listAssets(PERSONAL));
    return assets.flatMap((asset) => asset.resources.map((r): [ICloudAsset, AssetResource] => [asset, r])).slice(0, count);
  }

  it('downloads every kind of resource byte for byte', async () => {
    const session = await openSession({ assets: 200 });
    const pairs = await someResources(session, 10_000);
    const versions = new Set(pairs.map(([, r]) => r.version));
    expect(versions).toEqual(new Set(['original', 'alternative', 'live-video', 'edited']));
    const firstOfEach = [...versions].map((v) => pairs.find(([, r]) => r.version === v)!);
    for (const [asset, resource] of firstOfEach) {
      const bytes = await readAll(await session.photos.download(asset, resource, { offset: 0 }));
      expect(sha256(bytes), `${resource.version} ${resource.filename}`).toBe(sha256(expectedBytes(session, resource)));
    }
  });

  it('resumes from an offset with Range', async () => {
    const session = await openSession({ assets: 10 });
    const [[asset, resource]] = (await someResources(session, 1)) as [[ICloudAsset, AssetResource]];
    const offset = Math.floor(resource.size / 3);
    const bytes = await readAll(await session.photos.download(asset, resource, { offset }));
    expect(bytes.length).toBe(resource.size - offset);
    expect(bytes.equals(expectedBytes(session, resource, offset))).toBe(true);
    const nothingLeft = await readAll(await session.photos.download(asset, resource, { offset: resource.size }));
    expect(nothingLeft.length).toBe(0);
  });

  it('survives connection resets and truncated bodies, producing exact files', async () => {
    const session = await openSession({ assets: 30, seed: 7 });
    const pairs = await someResources(session, 25);
    session.sim.setFaults({ resetRate: 0.35, truncateRate: 0.35 });
    for (const [asset, resource] of pairs) {
      const bytes = await readAll(await session.photos.download(asset, resource, { offset: 0 }));
      expect(sha256(bytes), resource.filename).toBe(sha256(expectedBytes(session, resource)));
    }
    const downloads = session.sim.requestLog().filter((e) => e.role === 'content');
    expect(downloads.some((e) => e.fault !== undefined || e.aborted)).toBe(true); // faults really happened
    expect(session.logLines.some((line) => line.includes('resuming'))).toBe(true);
  }, 60_000);

  it('retries server errors on downloads', async () => {
    const session = await openSession({ assets: 10, seed: 3 });
    const pairs = await someResources(session, 6);
    session.sim.setFaults({ errorRate: 0.4 });
    for (const [asset, resource] of pairs) {
      const bytes = await readAll(await session.photos.download(asset, resource, { offset: 0 }));
      expect(bytes.equals(expectedBytes(session, resource))).toBe(true);
    }
  }, 60_000);

  it('fetches a fresh link when the download URL has expired', async () => {
    const session = await openSession({ assets: 10, downloadUrlTtlMs: 1_000 });
    const [[asset, resource]] = (await someResources(session, 1)) as [[ICloudAsset, AssetResource]];
    await sleep(2_100); // let the listed URL expire (the simulator rounds expiries up to a second)
    const lookupsBefore = cloudKitCalls(session.sim, '/records/lookup');
    const bytes = await readAll(await session.photos.download(asset, resource, { offset: 0 }));
    expect(bytes.equals(expectedBytes(session, resource))).toBe(true);
    expect(cloudKitCalls(session.sim, '/records/lookup') - lookupsBefore).toBeGreaterThanOrEqual(1);
    expect(session.logLines.some((line) => line.includes('fetching a fresh one'))).toBe(true);
  });

  it('never logs a download URL signature', async () => {
    const session = await openSession({ assets: 10, downloadUrlTtlMs: 1_000 });
    const [[asset, resource]] = (await someResources(session, 1)) as [[ICloudAsset, AssetResource]];
    await sleep(2_100);
    session.sim.setFaults({ resetRate: 0.5 });
    await readAll(await session.photos.download(asset, resource, { offset: 0 }));
    const query = new URL(resource.downloadUrl).searchParams;
    const secrets = [query.get('s'), query.get('k'), query.get('o')];
    expect(secrets.every((value) => value && value.length > 8)).toBe(true);
    expect(session.logLines.some((line) => line.includes('fetching a fresh one'))).toBe(true);
    for (const line of session.logLines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
      expect(line).not.toContain('?');
    }
  });
});
