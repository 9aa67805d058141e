import type { Readable } from 'node:stream';
import type { AssetResource, ICloudAsset } from '../src-main/icloud/photos/asset.js';
import { inParallel, rawAgent, rawGetBytes } from './raw-http.js';
import { MB, mbPerSecond, round, timed, type BenchResult } from './measure.js';
import { openBenchSession } from './signed-in-client.js';

const TARGET_BYTES = 500 * MB;
const PARALLEL = 6;
const MIB = 1024 * 1024;
/** Big resources, so per-request costs do not hide the byte path. */
const LARGE_SIZES = { photo: [4 * MIB, 8 * MIB], video: [8 * MIB, 16 * MIB], raw: [4 * MIB, 8 * MIB], liveVideo: [1 * MIB, 2 * MIB] } as const;

type Job = { asset: ICloudAsset; resource: AssetResource };

/** The first resources of the listing until `target` bytes are reached. */
function pickResources(assets: readonly ICloudAsset[], target: number): Job[] {
  const jobs: Job[] = [];
  let total = 0;
  for (const asset of assets) {
    for (const resource of asset.resources) {
      if (total >= target) return jobs;
      jobs.push({ asset, resource });
      total += resource.size;
    }
  }
  return jobs;
}

function drain(stream: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.once('end', () => resolve(bytes));
    stream.once('error', reject);
  });
}

/**
 * The client's download() (got, Range, retries, length check) against plain node:http GETs of the
 * same pre-signed URLs, both draining into nothing, 6 at a time. Best of two rounds each.
 */
export async function downloadBench(): Promise<BenchResult> {
  const session = await openBenchSession({ assets: 90, sizes: structuredClone(LARGE_SIZES) as never });
  try {
    const source = session.newSource();
    const assets: ICloudAsset[] = [];
    for await (const asset of source.listAssets({ includeShared: false, includeHidden: false })) assets.push(asset);
    const jobs = pickResources(assets, TARGET_BYTES);
    const expected = jobs.reduce((sum, job) => sum + job.resource.size, 0);
    const agent = rawAgent();
    const client = async () => {
      let bytes = 0;
      await inParallel(jobs, PARALLEL, async ({ asset, resource }) => {
        const got = await drain(await source.download(asset, resource, { offset: 0 }));
        bytes += got;
      });
      return bytes;
    };
    const raw = async () => {
      let bytes = 0;
      await inParallel(jobs, PARALLEL, async ({ resource }) => {
        const got = await rawGetBytes(agent, resource.downloadUrl);
        bytes += got;
      });
      return bytes;
    };
    let clientRate = 0;
    let rawRate = 0;
    for (let round = 0; round < 2; round++) {
      for (const [which, run] of [['raw', raw], ['client', client]] as const) {
        const { result: bytes, seconds } = await timed(run);
        if (bytes !== expected) throw new Error(`${which} downloaded ${bytes} bytes, expected ${expected}`);
        if (which === 'raw') rawRate = Math.max(rawRate, mbPerSecond(bytes, seconds));
        else clientRate = Math.max(clientRate, mbPerSecond(bytes, seconds));
      }
    }
    agent.destroy();
    const ratio = clientRate / rawRate;
    return {
      bench: 'download',
      line: `download (${jobs.length} files, ${Math.round(expected / MB)} MB, parallel ${PARALLEL}): client ${clientRate.toFixed(0)} MB/s, raw http ${rawRate.toFixed(0)} MB/s, ratio ${ratio.toFixed(2)}`,
      figures: [
        { name: 'download.client', value: round(clientRate, 1), unit: 'MB/s' },
        { name: 'download.rawHttp', value: round(rawRate, 1), unit: 'MB/s' },
        { name: 'download.ratio', value: round(ratio), unit: 'x' },
      ],
    };
  } finally {
    await session.close();
  }
}
