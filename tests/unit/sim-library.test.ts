import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { createSimLibrary, SPECIAL_FILENAMES, type SimAsset, type SimContent } from '../sim/library/index.js';

const library = createSimLibrary({ seed: 7, assets: 2000, sharedAssets: 20 });
const all = [...library.assets()];

async function streamed(content: SimContent, start?: number, end?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of content.stream(start, end)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function withResource(predicate: (asset: SimAsset) => boolean, field: string) {
  const asset = all.find((a) => predicate(a) && a.resources.some((r) => r.field === field));
  const resource = asset?.resources.find((r) => r.field === field);
  if (!asset || !resource) throw new Error(`no asset with ${field}`);
  return { asset, resource };
}

describe('sim library generator', () => {
  it('is deterministic from the seed, and a different seed gives a different library', () => {
    const again = createSimLibrary({ seed: 7, assets: 2000, sharedAssets: 20 });
    expect([...again.assets()].slice(0, 300)).toEqual(all.slice(0, 300));
    const first = all[5]?.resources[0];
    expect(first && again.contentOf(first)?.read()).toEqual(first && library.contentOf(first)?.read());
    const other = createSimLibrary({ seed: 8, assets: 2000 });
    expect(other.list('PrimarySync', 'all', 0, 5).map((a) => a.id)).not.toEqual(library.list('PrimarySync', 'all', 0, 5).map((a) => a.id));
  });

  it('mixes kinds, live photos, RAW pairs, edits, favourites, hidden and deleted items', () => {
    const kinds = new Set(all.map((a) => a.kind));
    expect([...kinds].sort()).toEqual(['heic', 'jpeg', 'mov', 'png']);
    const live = all.filter((a) => a.isLive);
    expect(live.length).toBeGreaterThan(50);
    for (const asset of live) expect(asset.resources.find((r) => r.field === 'resOriginalVidCompl')?.fileType).toBe('com.apple.quicktime-movie');
    const raw = all.filter((a) => a.isRawPair);
    expect(raw.some((a) => a.resources[0]?.format === 'raw')).toBe(true);
    expect(raw.some((a) => a.resources.find((r) => r.field === 'resOriginalAlt')?.format === 'raw')).toBe(true);
    const edited = all.filter((a) => a.adjustmentType !== undefined);
    expect(edited.some((a) => a.resources.some((r) => r.field === 'resJPEGFull' && r.on === 'asset'))).toBe(true);
    expect(edited.some((a) => a.resources.some((r) => r.field === 'resVidFull' && r.on === 'asset'))).toBe(true);
    expect(all.filter((a) => a.isFavorite).length).toBeGreaterThan(50);
    expect(all.filter((a) => a.isHidden).length).toBeGreaterThan(10);
    expect(all.filter((a) => a.isDeleted).length).toBeGreaterThan(10);
    expect(all.filter((a) => a.zoneName === library.sharedZoneName)).toHaveLength(20);
  });

  it('spreads dates over many years and time zones, including negative and non-hour offsets', () => {
    const years = new Set(all.map((a) => new Date(a.assetDate).getUTCFullYear()));
    expect(years.size).toBeGreaterThanOrEqual(20);
    const offsets = new Set(all.map((a) => a.timeZoneOffset));
    expect([...offsets].some((o) => o < 0)).toBe(true);
    expect([...offsets].some((o) => o % 3600 !== 0)).toBe(true);
    for (const asset of all) expect(asset.addedDate).toBeGreaterThanOrEqual(asset.assetDate);
  });

  it('uses Apple-shaped ids: 28-char fingerprints for masters, UUIDs for assets', () => {
    for (const asset of all.slice(0, 200)) {
      expect(asset.masterId).toMatch(/^[A-Za-z0-9+/]{28}$/);
      expect(Buffer.from(asset.masterId, 'base64')[0]).toBe(1);
      expect(asset.resources[0]?.fileChecksum).toBe(asset.masterId);
      expect(asset.id).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
      expect(library.getAsset(asset.id)?.serial).toBe(asset.serial);
      expect(library.getAsset(asset.masterId)?.serial).toBe(asset.duplicateOf ?? asset.serial);
    }
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
    expect(library.getAsset('AAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
  });

  it('makes iOS Duplicates: a second asset on the same master, both copies edited, each edit its own', () => {
    const duplicates = all.filter((a) => a.duplicateOf !== undefined);
    expect(duplicates.length).toBeGreaterThan(0);
    for (const copy of duplicates.slice(0, 20)) {
      const source = library.getAsset(copy.duplicateOf ?? -1)!;
      expect(copy.masterId).toBe(source.masterId);
      expect(copy.id).not.toBe(source.id);
      expect(copy.resources.filter((r) => r.on === 'master')).toEqual(source.resources.filter((r) => r.on === 'master'));
      const edit = (a: typeof copy) => a.resources.find((r) => r.on === 'asset')?.fileChecksum;
      expect(edit(copy)).toBeDefined();
      expect(edit(source)).toBeDefined();
      expect(edit(copy)).not.toBe(edit(source));
      expect(library.contentOf(edit(copy)!)?.size).toBe(copy.resources.find((r) => r.on === 'asset')?.size);
    }
  });

  it('hands out every hostile and Unicode name, and duplicate names on different assets', () => {
    const small = [...createSimLibrary({ seed: 3, assets: 100 }).assets()].map((a) => a.filename);
    for (const name of SPECIAL_FILENAMES) expect(small).toContain(name);
    expect(small).toContain('../../evil.jpg');
    expect(small).toContain('Jo\u0308rg.jpg');
    expect(small).toContain('J\u00f6rg.jpg');
    expect(small.some((n) => n !== null && Buffer.byteLength(n) > 255)).toBe(true);
    expect(small.some((n) => n !== null && [...n].some((ch) => ch.charCodeAt(0) < 0x20))).toBe(true);
    const names = all.map((a) => a.filename);
    expect(new Set(names).size).toBeLessThan(names.length);
  });
});

describe('sim library content', () => {
  it('makes JPEG originals, thumbnails and edits that decode, at the size the record states', () => {
    const cases = [
      withResource((a) => a.kind === 'jpeg' && !a.isRawPair, 'resOriginal'),
      withResource((a) => a.kind === 'heic', 'resJPEGThumb'),
      withResource((a) => a.kind === 'jpeg', 'resJPEGThumb'),
      withResource(() => true, 'resJPEGFull'),
      withResource(() => true, 'resJPEGMed'),
    ];
    // Apple renders JPEG thumbnails for photos only (a video's small rendition is resVidSmall).
    expect(all.filter((a) => a.kind === 'mov').some((a) => a.resources.some((r) => r.field === 'resJPEGThumb'))).toBe(false);
    for (const { resource } of cases) {
      const bytes = library.contentOf(resource)?.read();
      expect(bytes?.length).toBe(resource.size);
      const image = jpeg.decode(bytes ?? Buffer.alloc(0));
      expect([image.width, image.height]).toEqual([resource.width, resource.height]);
    }
  });

  it('makes PNG originals with a valid header and pixel data', () => {
    const { resource } = withResource((a) => a.kind === 'png', 'resOriginal');
    const bytes = library.contentOf(resource)?.read() ?? Buffer.alloc(0);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([resource.width, resource.height]);
    const idatLength = bytes.readUInt32BE(33);
    expect(bytes.subarray(37, 41).toString('latin1')).toBe('IDAT');
    const pixels = inflateSync(bytes.subarray(41, 41 + idatLength));
    expect(pixels.length).toBe(resource.height * (1 + resource.width * 3));
  });

  it('starts non-image originals with a container header, never like HTML or JSON', () => {
    const mov = withResource((a) => a.kind === 'mov', 'resOriginal').resource;
    const heic = withResource((a) => a.kind === 'heic', 'resOriginal').resource;
    expect(library.contentOf(mov)?.read(4, 8).toString('latin1')).toBe('ftyp');
    expect(library.contentOf(heic)?.read(8, 12).toString('latin1')).toBe('heic');
  });

  it('gives the same bytes for any range, read or streamed', async () => {
    const big = createSimLibrary({ seed: 1, assets: 80, sizes: { video: [3_000_000, 3_000_000] } });
    const video = [...big.assets()].find((a) => a.kind === 'mov')?.resources[0];
    const content = video && big.contentOf(video);
    if (!content) throw new Error('no video');
    expect(content.size).toBe(3_000_000);
    const full = content.read();
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(digest(await streamed(content))).toBe(digest(full));
    for (const [start, end] of [[0, 1], [15, 17], [262_143, 262_145], [1_000_001, 2_999_999], [2_999_999, 3_000_000]] as const) {
      expect(content.read(start, end).equals(full.subarray(start, end))).toBe(true);
      expect((await streamed(content, start, end)).equals(full.subarray(start, end))).toBe(true);
    }
    const photo = big.list('PrimarySync', 'all', 0, 80).find((a) => a.kind === 'jpeg')?.resources[0];
    const photoContent = photo && big.contentOf(photo);
    expect(photoContent?.read(100, 3000)).toEqual(photoContent?.read().subarray(100, 3000));
    expect(() => content.read(5, 3_000_001)).toThrow(RangeError);
  });

  it('refuses checksums it did not make', () => {
    expect(library.contentOf('AQAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(library.findResource('not a checksum')).toBeUndefined();
  });
});
