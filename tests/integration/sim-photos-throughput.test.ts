import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPhotosHarness, type Json, type PhotosHarness } from './sim-photos-harness.js';

/**
 * Loopback throughput of the download route: 8 parallel streams, 1 GiB in all. A measurement, not
 * a check of speed: run with SIM_THROUGHPUT=1; it prints MB/s and asserts only the byte counts.
 */
const STREAMS = 8;
const EACH = 128 * 1024 * 1024;

let h: PhotosHarness;
const run = process.env.SIM_THROUGHPUT === '1';

beforeAll(async () => {
  if (run) h = await startPhotosHarness({ assets: 200, sizes: { video: [EACH, EACH] } });
});
afterAll(() => h?.close());

function fetchBytes(url: string): Promise<{ bytes: number; head: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let bytes = 0;
      let head = Buffer.alloc(0);
      res.on('data', (chunk: Buffer) => {
        if (head.length < 65536) head = Buffer.concat([head, chunk]).subarray(0, 65536);
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ bytes, head }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('sim download throughput', () => {
  it(`serves ${STREAMS} parallel streams of ${EACH / 2 ** 20} MiB`, async ({ skip }) => {
    skip(!run, 'a measurement (1 GiB over loopback), not a check: run it with SIM_THROUGHPUT=1');
    const videos = h.library.list('PrimarySync', 'videos', 0, STREAMS);
    expect(videos).toHaveLength(STREAMS);
    const { json } = await h.ck('private/records/lookup', { records: videos.map((v) => ({ recordName: v.masterId })), zoneID: { zoneName: 'PrimarySync' } });
    const urls: string[] = json.records.map((r: Json) => r.fields.resOriginalRes.value.downloadURL);
    const started = process.hrtime.bigint();
    const results = await Promise.all(urls.map(fetchBytes));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const total = results.reduce((sum, r) => sum + r.bytes, 0);
    console.log(`sim download throughput: ${(total / 1e6 / seconds).toFixed(0)} MB/s (${(total / 2 ** 30).toFixed(2)} GiB in ${seconds.toFixed(2)} s, ${STREAMS} streams)`);
    expect(total).toBe(STREAMS * EACH);
    results.forEach((r, i) => expect(r.head.equals(h.library.contentOf(videos[i]?.masterId ?? '')?.read(0, 65536) ?? Buffer.alloc(0))).toBe(true));
  }, 300_000);
});
