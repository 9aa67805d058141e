import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ICloudAsset } from '../../src-main/icloud/photos/asset.js';
import { collect } from './photos-helpers.js';
import { expectedFileKeys, expectFilesMatchSimulator, syncWorlds } from './sync-helpers.js';

/** Where icloudpd puts an original: the capture date in the machine's zone, then the name. */
function icloudpdPath(asset: ICloudAsset): string {
  const d = new Date(asset.assetDate);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())}/${asset.filename}`;
}

describe('sync: adopting a folder another downloader filled', () => {
  const openWorld = syncWorlds();

  it('records matching files as downloaded, fetches only the rest, and never overwrites a stranger', async () => {
    const world = await openWorld({ assets: 40 });
    const assets = await collect(world.session.photos.listAssets({ includeShared: true, includeHidden: false }));
    const ordinary = assets.filter((a) => /^(IMG|VID|Screenshot)_\d{4}\.[A-Z]+$/.test(a.filename));
    const paths = new Map(ordinary.map((a) => [icloudpdPath(a).toLowerCase(), a]));
    const unique = ordinary.filter((a) => paths.get(icloudpdPath(a).toLowerCase()) === a);
    const [stranger, ...adoptable] = unique;
    expect(adoptable.length).toBeGreaterThan(5);
    const lib = world.session.library;
    for (const asset of adoptable) {
      const path = join(world.folder, icloudpdPath(asset));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, lib.contentOf(asset.resources.find((r) => r.version === 'original')!.fileChecksum)!.read());
    }
    // Same name as an asset, different bytes: somebody else's file.
    const strangerPath = join(world.folder, icloudpdPath(stranger!));
    mkdirSync(dirname(strangerPath), { recursive: true });
    writeFileSync(strangerPath, 'not a photo from iCloud');

    const summary = await world.run();
    expect(summary).toMatchObject({ outcome: 'success', adopted: adoptable.length, failures: [] });
    expect(summary.downloaded).toBe(expectedFileKeys(lib.assets()).length - adoptable.length);
    expect(readFileSync(strangerPath, 'utf8')).toBe('not a photo from iCloud');
    const strangerOriginal = world.tracked().find((f) => f.assetId === stranger!.id && f.version === 'original')!;
    expect(strangerOriginal.relPath).not.toBe(icloudpdPath(stranger!));
    expect(strangerOriginal.relPath).toMatch(/_[0-9a-f]{7}\.[A-Z]+$/);
    expectFilesMatchSimulator(world);
    expect((await world.run()).downloaded).toBe(0);
  });
});
