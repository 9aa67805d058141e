import { get, type IncomingHttpHeaders } from 'node:http';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimAsset, SimResource } from '../sim/library/index.js';
import { listingQuery, startPhotosHarness, type Json, type PhotosHarness } from './sim-photos-harness.js';

let h: PhotosHarness;
beforeAll(async () => {
  h = await startPhotosHarness({ sizes: { video: [600_000, 900_000] } });
});
afterAll(() => h.close());

interface Download {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Set when the connection failed or ended before Content-Length bytes. */
  error?: string;
}

/** A cookie-less GET, as downloaders do, keeping whatever arrived when the transfer breaks. */
function download(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Download> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = (error?: string) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ...(error ? { error } : {}) });
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(res.complete ? undefined : 'incomplete'));
      res.on('error', (err) => done(err.message));
      res.on('aborted', () => done('aborted'));
    });
    req.on('error', reject);
  });
}

/** The download URL the records of the first page hand out for a resource field. */
async function urlFor(predicate: (asset: SimAsset) => boolean, field: SimResource['field'] = 'resOriginal') {
  const asset = [...h.library.assets('PrimarySync')].find((a) => predicate(a) && !a.isHidden && !a.isDeleted && a.resources.some((r) => r.field === field));
  const resource = asset?.resources.find((r) => r.field === field);
  if (!asset || !resource) throw new Error(`no ${field}`);
  const { json } = await h.ck('private/records/lookup', { records: [{ recordName: resource.on === 'master' ? asset.masterId : asset.id }], zoneID: { zoneName: 'PrimarySync' } });
  const record: Json = json.records[0];
  const url: string = record.fields[`${field}Res`].value.downloadURL;
  return { asset, resource, url, expected: h.library.contentOf(resource)?.read() ?? Buffer.alloc(0) };
}

describe('sim downloads', () => {
  it('serves every byte of an original, a Live Photo video and an edit, without cookies', async () => {
    for (const [predicate, field] of [
      [(a: SimAsset) => a.kind === 'jpeg' && !a.isRawPair, 'resOriginal'],
      [(a: SimAsset) => a.isLive, 'resOriginalVidCompl'],
      [(a: SimAsset) => a.adjustmentType !== undefined && a.kind !== 'mov', 'resJPEGFull'],
      [(a: SimAsset) => a.kind === 'mov', 'resOriginal'],
    ] as const) {
      const { resource, url, expected } = await urlFor(predicate, field);
      const got = await download(url);
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('application/octet-stream');
      expect(Number(got.headers['content-length'])).toBe(resource.size);
      expect(got.body.equals(expected)).toBe(true);
    }
  });

  it('refuses a download that carries cookies (they belong to iCloud, not the content host) and records it', async () => {
    const { url } = await urlFor((a) => a.kind === 'jpeg' && !a.isRawPair);
    const before = h.violations.length;
    const refused = await download(url, { cookie: 'X-APPLE-WEBAUTH-TOKEN="v=2:t=abc"' });
    expect(refused.status).toBe(400);
    expect(h.violations.slice(before)).toEqual([expect.stringContaining('cookies sent to the download host')]);
    h.violations.splice(before);
  });

  it('serves a JPEG that decodes, and accepts ${f} literal, percent-encoded or any name', async () => {
    const { url, resource, expected } = await urlFor((a) => a.kind === 'heic', 'resJPEGThumb');
    expect(url).toContain('/${f}?');
    const decoded = jpeg.decode((await download(url)).body);
    expect([decoded.width, decoded.height]).toEqual([resource.width, resource.height]);
    for (const name of ['$%7Bf%7D', 'IMG_0001.JPG']) {
      const got = await download(url.replace('${f}', name));
      expect(got.status).toBe(200);
      expect(got.body.equals(expected)).toBe(true);
    }
  });

  it('answers Range requests with 206 and Content-Range, and 416 past the end', async () => {
    const { url, resource, expected } = await urlFor((a) => a.kind === 'mov');
    const from = await download(url, { Range: 'bytes=100000-' });
    expect(from.status).toBe(206);
    expect(from.headers['content-range']).toBe(`bytes 100000-${resource.size - 1}/${resource.size}`);
    expect(from.body.equals(expected.subarray(100000))).toBe(true);
    const middle = await download(url, { Range: 'bytes=10-19' });
    expect([middle.status, middle.headers['content-length']]).toEqual([206, '10']);
    expect(middle.body.equals(expected.subarray(10, 20))).toBe(true);
    const zero = await download(url, { Range: 'bytes=0-' });
    expect(zero.status).toBe(206);
    expect(zero.body.equals(expected)).toBe(true);
    const past = await download(url, { Range: `bytes=${resource.size}-` });
    expect([past.status, past.headers['content-range']]).toEqual([416, `bytes */${resource.size}`]);
    const head = await download(url, {}, 'HEAD');
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(resource.size), 0]);
  });

  it('refuses expired URLs and tampered signatures with 403, and purged content with 404', async () => {
    h.urlTtlMs = -2000;
    const expired = await urlFor((a) => a.kind === 'jpeg');
    h.urlTtlMs = 60_000;
    expect((await download(expired.url)).status).toBe(403);
    const fresh = await urlFor((a) => a.kind === 'jpeg');
    expect((await download(fresh.url)).status).toBe(200);
    expect((await download(fresh.url.replace(/s=([^&]+)$/, 's=AAAA$1'))).status).toBe(403);
    expect((await download(fresh.url.replace('ckz=PrimarySync', 'ckz=Other'))).status).toBe(403);
    expect((await download(fresh.url.replace(/\/B\/./, '/B/Z'))).status).toBe(403);
    const victim = await urlFor((a) => a.kind === 'png');
    h.library.purgeAsset(victim.asset);
    expect((await download(victim.url)).status).toBe(404);
  });

  it('resets or truncates downloads when those faults are on', async () => {
    const { url, resource } = await urlFor((a) => a.kind === 'mov');
    h.faults.resetRate = 1;
    const reset = await download(url).catch((err: Error) => ({ error: err.message, body: Buffer.alloc(0) }));
    h.faults.resetRate = 0;
    expect(reset.error).toBeDefined();
    expect(reset.body.length).toBeLessThan(resource.size);
    h.faults.truncateRate = 1;
    const truncated = await download(url);
    h.faults.truncateRate = 0;
    expect(truncated.status).toBe(200);
    expect(truncated.error).toBeDefined();
    expect(truncated.body.length).toBeGreaterThan(0);
    expect(truncated.body.length).toBeLessThan(resource.size);
    expect((await download(url)).body.length).toBe(resource.size);
  });

  it('hands out download URLs on every listing page that point at the content role', async () => {
    const { json } = await h.ck('private/records/query', listingQuery(0, 20));
    for (const master of json.records.filter((r: Json) => r.recordType === 'CPLMaster')) {
      expect(master.fields.resOriginalRes.value.downloadURL.startsWith(`${h.base}/B/`)).toBe(true);
    }
  });
});
