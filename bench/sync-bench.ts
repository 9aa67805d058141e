import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { get, type Agent } from 'node:http';
import { runSync } from '../src-main/sync/engine.js';
import { setupSyncFolder } from '../src-main/sync/folder-marker.js';
import { Tracker } from '../src-main/tracker/tracker.js';
import { MB, mbPerSecond, round, timed, type BenchResult } from './measure.js';
import { inParallel, rawAgent, rawGetBytes } from './raw-http.js';
import { openBenchSession } from './signed-in-client.js';

const ASSETS = 300;
const PARALLEL = 6;
const KIB = 1024;
const SIZES = { photo: [512 * KIB, 1536 * KIB], video: [2048 * KIB, 6144 * KIB], raw: [1024 * KIB, 3072 * KIB], liveVideo: [512 * KIB, 1536 * KIB] };

function rawGetToFile(agent: Agent, url: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`raw GET answered ${res.statusCode}`));
        return;
      }
      pipeline(res, createWriteStream(path)).then(resolve, reject);
    }).on('error', reject);
  });
}

/**
 * runSync into an empty folder (listing, plan, download, hash, fsync, rename, tracker) against
 * raw GETs of the same files: drained, and written to plain files. Then a second, no-change run.
 */
export async function syncBench(): Promise<BenchResult> {
  const session = await openBenchSession({ assets: ASSETS, sizes: SIZES as never });
  const base = await mkdtemp(join(tmpdir(), 'bench-sync-'));
  try {
    const folder = join(base, 'Photos');
    const databasePath = join(base, 'data', 'sync.db');
    setupSyncFolder(folder);
    const sync = () => runSync({ source: session.newSource(), folder, databasePath }, { concurrency: PARALLEL });
    const first = await timed(sync);
    if (first.result.outcome !== 'success') throw new Error(`the first sync ended ${first.result.outcome} (${first.result.errorCode ?? ''})`);
    const second = await timed(sync);
    if (second.result.downloaded !== 0) throw new Error(`the second sync downloaded ${second.result.downloaded} files`);

    // The same files, by Apple's content id, with URLs from a fresh listing.
    const tracker = Tracker.openSnapshot(databasePath);
    const synced = new Set(tracker.allFiles().map((f) => f.fileChecksum));
    tracker.close();
    const urls: string[] = [];
    for await (const asset of session.newSource().listAssets({ includeShared: true, includeHidden: false })) {
      for (const r of asset.resources) if (synced.delete(r.fileChecksum)) urls.push(r.downloadUrl);
    }
    const agent = rawAgent();
    const drained = await timed(async () => {
      let bytes = 0;
      await inParallel(urls, PARALLEL, async (url) => {
        const n = await rawGetBytes(agent, url);
        bytes += n;
      });
      return bytes;
    });
    if (drained.result !== first.result.bytes) throw new Error(`the raw download got ${drained.result} bytes, the sync ${first.result.bytes}`);
    const rawFolder = join(base, 'raw');
    await mkdir(rawFolder);
    const written = await timed(() => inParallel(urls.map((url, i) => ({ url, i })), PARALLEL, ({ url, i }) => rawGetToFile(agent, url, join(rawFolder, `f${i}`))));
    agent.destroy();

    const bytes = first.result.bytes;
    const engineRate = mbPerSecond(bytes, first.seconds);
    const rawRate = mbPerSecond(bytes, drained.seconds);
    const fileRate = mbPerSecond(bytes, written.seconds);
    const ratio = engineRate / rawRate;
    const fileRatio = engineRate / fileRate;
    const idleRatio = second.seconds / first.seconds;
    return {
      bench: 'sync',
      line:
        `sync (${first.result.downloaded} files, ${Math.round(bytes / MB)} MB): engine ${first.seconds.toFixed(2)} s = ${engineRate.toFixed(0)} MB/s, ` +
        `raw http ${rawRate.toFixed(0)} MB/s (ratio ${ratio.toFixed(2)}), raw http to files ${fileRate.toFixed(0)} MB/s (ratio ${fileRatio.toFixed(2)}); ` +
        `no-change run ${second.seconds.toFixed(2)} s (${(idleRatio * 100).toFixed(1)} % of the first)`,
      figures: [
        { name: 'sync.files', value: first.result.downloaded, unit: 'files' },
        { name: 'sync.engine', value: round(engineRate, 1), unit: 'MB/s' },
        { name: 'sync.rawHttp', value: round(rawRate, 1), unit: 'MB/s' },
        { name: 'sync.rawHttpToFiles', value: round(fileRate, 1), unit: 'MB/s' },
        { name: 'sync.ratio', value: round(ratio), unit: 'x' },
        { name: 'sync.ratioToFiles', value: round(fileRatio), unit: 'x' },
        { name: 'sync.firstRun', value: round(first.seconds), unit: 's' },
        { name: 'sync.noChangeRun', value: round(second.seconds, 3), unit: 's' },
        { name: 'sync.noChangeToFirst', value: round(idleRatio, 3), unit: 'x' },
      ],
    };
  } finally {
    await session.close();
    await rm(base, { recursive: true, force: true });
  }
}
