import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CLIENT_BUILD_NUMBER, CLIENT_MASTERING_NUMBER } from '../src-main/icloud/apple-headers.js';
import { createPhotoLibrary } from '../src-main/icloud/photos/photo-library.js';
import { DEFAULT_LISTING_PARALLELISM } from '../src-main/icloud/photos/ranked-pages.js';
import { MB, round, timed, type BenchResult } from './measure.js';
import { feedUnderChanges, listingUnderChanges, type ListingUnderChanges } from './listing-candidates.js';
import { inParallel, rawAgent, rawPostJson } from './raw-http.js';
import { RecordingTransport, requestTiming, type RecordedPost, type RequestTiming } from './recording-transport.js';
import { benchLookup, openBenchSession, type BenchSession } from './signed-in-client.js';

const SMALL = 20_000;
const LARGE = 100_000;
const SCOPE = { includeShared: false, includeHidden: false };
const MEMORY_CHILD = fileURLToPath(new URL('./listing-memory-child.ts', import.meta.url));

interface MemoryFigures {
  assets: number;
  heapBytes: number;
  rssBytes: number;
}

function measureListingMemory(assets: number): Promise<MemoryFigures> {
  const child = fork(MEMORY_CHILD, [String(assets)], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let figures: MemoryFigures | undefined;
    child.once('message', (message) => (figures = message as MemoryFigures));
    child.once('error', reject);
    child.once('exit', (code) => (figures ? resolve(figures) : reject(new Error(`listing memory child exited with ${code}`))));
  });
}

/**
 * The bare fetcher: the same POSTs the client sent, with the session's cookies, `parallel` at a time,
 * each answer only JSON.parsed. Returns the records seen and how long each request took.
 */
async function replay(session: BenchSession, posts: readonly RecordedPost[], parallel = 1): Promise<{ records: number; durationsMs: number[] }> {
  const agent = rawAgent();
  const query = new URLSearchParams({
    clientBuildNumber: CLIENT_BUILD_NUMBER, clientMasteringNumber: CLIENT_MASTERING_NUMBER, clientId: randomUUID(),
    dsid: session.sim.account.dsid, remapEnums: 'true', getCurrentSyncToken: 'true',
  });
  const base = `${session.sim.urls.ckdatabase}/database/1/com.apple.photos.cloud/production`;
  const headers = { 'content-type': 'text/plain', origin: session.sim.urls.webOrigin, cookie: await session.cookieHeader(base) };
  let records = 0;
  const durationsMs: number[] = [];
  await inParallel(posts, parallel, async (post) => {
    const started = performance.now();
    const answer = (await rawPostJson(agent, `${base}/${post.database}/${post.path}?${query}`, post.body, headers)) as { records?: unknown[] };
    durationsMs.push(performance.now() - started);
    records += answer.records?.length ?? 0;
  });
  agent.destroy();
  return { records, durationsMs };
}

/** Apple-like latency for the latency bench: 40 ms plus up to 10 ms of jitter on every request. */
const LATENCY = { slowMs: 40, jitterMs: 10 };

interface TimedListing {
  seconds: number;
  cpuSeconds: number;
  /** CPU the simulator process spent meanwhile: near the wall time, it is the simulator that sets the pace. */
  simCpuSeconds: number;
  listed: number;
  expected: number;
  complete: boolean;
  posts: RecordedPost[];
  /** Seen from the client's side of the transport: each request's time (parsing of the answer included) and the mean in flight. */
  timing: RequestTiming;
}

/** One full listing through the real client with `parallelism` pages in flight: wall time, CPU, completeness. */
async function timedListing(session: BenchSession, parallelism: number): Promise<TimedListing> {
  const recorder = new RecordingTransport(session.client.transport);
  const source = createPhotoLibrary({ transport: recorder, download: { dnsLookup: benchLookup }, listing: { parallelism } });
  const ids = new Set<string>();
  const simBefore = await session.sim.cpuSeconds();
  const cpuBefore = process.cpuUsage();
  const run = await timed(async () => {
    for await (const asset of source.listAssets(SCOPE)) ids.add(asset.assetRecordName);
  });
  const cpu = process.cpuUsage(cpuBefore);
  const simCpuSeconds = (await session.sim.cpuSeconds()) - simBefore;
  const posts = [...recorder.posts];
  const expected = await source.countAssets(SCOPE);
  const timing = requestTiming(recorder.durationsMs, run.seconds * 1000);
  return { seconds: run.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, simCpuSeconds, listed: ids.size, expected, complete: source.listingComplete?.() ?? false, posts, timing };
}

/** Every candidate's completeness under the same injected changes, as figures and as words. */
function underChangesReport(name: string, run: ListingUnderChanges): { line: string; figures: BenchResult['figures'] } {
  return {
    line: `${name} ${run.present}/${run.expected} present (proven ${run.complete}), ${run.requests} requests ${run.seconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s)`,
    figures: [
      { name: `listingLatency.underChanges.${name}.present`, value: run.present, unit: 'photos' },
      { name: `listingLatency.underChanges.${name}.expected`, value: run.expected, unit: 'photos' },
      { name: `listingLatency.underChanges.${name}.requests`, value: run.requests, unit: 'requests' },
      { name: `listingLatency.underChanges.${name}.seconds`, value: round(run.seconds), unit: 's' },
      { name: `listingLatency.underChanges.${name}.cpu`, value: round(run.cpuSeconds), unit: 's' },
    ],
  };
}

/**
 * 100,000 assets at 40 ms (+ jitter) per request: the client with 6 pages in flight and with one,
 * against the floor of a bare fetcher sending the same POSTs 6 at a time (README "A complete listing");
 * then every candidate (ranked 6 in flight, ranked one at a time, the change feed) under the same
 * injected changes. The simulator's page cache is warmed by an untimed listing first, so no timed
 * run pays for building it and the next one not.
 */
export async function latencyListingBench(): Promise<BenchResult> {
  const session = await openBenchSession({ assets: LARGE, faults: LATENCY });
  try {
    await timedListing(session, DEFAULT_LISTING_PARALLELISM);
    const parallel = await timedListing(session, DEFAULT_LISTING_PARALLELISM);
    if (parallel.listed !== parallel.expected || !parallel.complete) {
      throw new Error(`the parallel listing saw ${parallel.listed} of ${parallel.expected} assets (complete: ${parallel.complete})`);
    }
    const simBeforeFloor = await session.sim.cpuSeconds();
    const floor = await timed(() => replay(session, parallel.posts, DEFAULT_LISTING_PARALLELISM));
    const floorSimCpu = (await session.sim.cpuSeconds()) - simBeforeFloor;
    if (floor.result.records < parallel.expected * 2) throw new Error(`the bare fetcher saw ${floor.result.records} records, expected at least ${parallel.expected * 2}`);
    const floorTiming = requestTiming(floor.result.durationsMs, floor.seconds * 1000);
    const sequential = await timedListing(session, 1);
    const ratio = parallel.seconds / floor.seconds;
    // Each candidate under the same schedule of changes (last: they change the library).
    const changedParallel = await listingUnderChanges(session, DEFAULT_LISTING_PARALLELISM);
    const changedSequential = await listingUnderChanges(session, 1);
    const feed = await feedUnderChanges(session);
    for (const [name, run] of [['parallel', changedParallel], ['sequential', changedSequential]] as const) {
      if (run.present !== run.expected) throw new Error(`under changes the ${name} listing handed on ${run.present} of ${run.expected} visible photos`);
    }
    const changed = [
      underChangesReport('parallel', changedParallel),
      underChangesReport('sequential', changedSequential),
      underChangesReport('feed', feed),
    ];
    const memory = await measureListingMemory(LARGE);
    const photos = parallel.expected;
    return {
      bench: 'listing-latency',
      line:
        `listing ${parallel.expected} assets at ${LATENCY.slowMs}+${LATENCY.jitterMs} ms: ${DEFAULT_LISTING_PARALLELISM} in flight ${parallel.posts.length} requests ` +
        `${parallel.seconds.toFixed(2)} s (client CPU ${parallel.cpuSeconds.toFixed(2)} s, simulator CPU ${parallel.simCpuSeconds.toFixed(2)} s, complete ${parallel.listed}/${parallel.expected}; ` +
        `${parallel.timing.meanInFlight.toFixed(2)} in flight on average, ${parallel.timing.meanRequestMs.toFixed(1)} ms a request); ` +
        `floor (bare fetcher, same POSTs, ${DEFAULT_LISTING_PARALLELISM} in flight) ${floor.seconds.toFixed(2)} s (simulator CPU ${floorSimCpu.toFixed(2)} s; ` +
        `${floorTiming.meanInFlight.toFixed(2)} in flight, ${floorTiming.meanRequestMs.toFixed(1)} ms a request); ratio ${ratio.toFixed(2)}; ` +
        `one at a time ${sequential.posts.length} requests ${sequential.seconds.toFixed(2)} s (CPU ${sequential.cpuSeconds.toFixed(2)} s, simulator CPU ${sequential.simCpuSeconds.toFixed(2)} s); ` +
        `change feed as the listing (under the changes) ${feed.requests} requests (${feed.emptyPages} empty), ` +
        `${(feed.records / photos).toFixed(1)} records per photo, ${((100 * feed.tombstones) / Math.max(feed.records, 1)).toFixed(0)} % tombstones; ` +
        `under ${changedParallel.changes} changes: ${changed.map((report) => report.line).join('; ')}; ` +
        `memory of the listing alone at ${LARGE / 1000}k: heap +${(memory.heapBytes / MB).toFixed(1)} MB, RSS +${(memory.rssBytes / MB).toFixed(1)} MB`,
      figures: [
        { name: 'listingLatency.requests', value: parallel.posts.length, unit: 'requests' },
        { name: 'listingLatency.parallel', value: round(parallel.seconds), unit: 's' },
        { name: 'listingLatency.parallelCpu', value: round(parallel.cpuSeconds), unit: 's' },
        { name: 'listingLatency.parallelSimulatorCpu', value: round(parallel.simCpuSeconds), unit: 's' },
        { name: 'listingLatency.parallelMeanInFlight', value: round(parallel.timing.meanInFlight), unit: 'requests' },
        { name: 'listingLatency.parallelMeanRequest', value: round(parallel.timing.meanRequestMs, 1), unit: 'ms' },
        { name: 'listingLatency.floor', value: round(floor.seconds), unit: 's' },
        { name: 'listingLatency.floorMeanInFlight', value: round(floorTiming.meanInFlight), unit: 'requests' },
        { name: 'listingLatency.floorMeanRequest', value: round(floorTiming.meanRequestMs, 1), unit: 'ms' },
        { name: 'listingLatency.floorSimulatorCpu', value: round(floorSimCpu), unit: 's' },
        { name: 'listingLatency.ratioToFloor', value: round(ratio), unit: 'x' },
        { name: 'listingLatency.sequential', value: round(sequential.seconds), unit: 's' },
        { name: 'listingLatency.sequentialCpu', value: round(sequential.cpuSeconds), unit: 's' },
        { name: 'listingLatency.sequentialSimulatorCpu', value: round(sequential.simCpuSeconds), unit: 's' },
        { name: 'listingLatency.sequentialRequests', value: sequential.posts.length, unit: 'requests' },
        { name: 'listingLatency.feed.emptyPages', value: feed.emptyPages, unit: 'pages' },
        { name: 'listingLatency.feed.recordsPerPhoto', value: round(feed.records / photos), unit: 'records' },
        { name: 'listingLatency.feed.tombstoneShare', value: round(feed.tombstones / Math.max(feed.records, 1)), unit: 'share' },
        ...changed.flatMap((report) => report.figures),
        { name: 'listingLatency.memory.heapGrowth100k', value: round(memory.heapBytes / MB, 1), unit: 'MB' },
        { name: 'listingLatency.memory.rssGrowth100k', value: round(memory.rssBytes / MB, 1), unit: 'MB' },
      ],
    };
  } finally {
    await session.close();
  }
}

/** PhotoSource.listAssets (zod, pairing, mapping) vs replaying its POSTs raw; then memory 20k vs 100k. */
export async function listingBench(): Promise<BenchResult> {
  const session = await openBenchSession({ assets: SMALL });
  let clientSeconds = Infinity;
  let rawSeconds = Infinity;
  let posts: RecordedPost[] = [];
  try {
    for (let round = 0; round < 2; round++) {
      const recorder = new RecordingTransport(session.client.transport);
      const source = createPhotoLibrary({ transport: recorder, download: { dnsLookup: benchLookup } });
      const client = await timed(async () => {
        let count = 0;
        for await (const _asset of source.listAssets(SCOPE)) count += 1;
        return count;
      });
      const expected = await source.countAssets(SCOPE);
      if (client.result !== expected) throw new Error(`the client listed ${client.result} assets, expected ${expected}`);
      clientSeconds = Math.min(clientSeconds, client.seconds);
      posts = recorder.posts;
      const raw = await timed(() => replay(session, posts));
      if (raw.result.records < expected * 2) throw new Error(`the raw replay saw ${raw.result.records} records, expected at least ${expected * 2}`);
      rawSeconds = Math.min(rawSeconds, raw.seconds);
    }
  } finally {
    await session.close();
  }
  const small = await measureListingMemory(SMALL);
  const large = await measureListingMemory(LARGE);
  // Hidden and deleted items (about 5 %) are not listed.
  if (small.assets < SMALL * 0.9 || large.assets < LARGE * 0.9) throw new Error('a memory listing stopped early');
  const speed = rawSeconds / clientSeconds;
  const heapRatio = large.heapBytes / Math.max(small.heapBytes, 1);
  const rssRatio = large.rssBytes / Math.max(small.rssBytes, 1);
  const mb = (bytes: number) => (bytes / MB).toFixed(1);
  return {
    bench: 'listing',
    line:
      `listing ${SMALL} assets (${posts.length} POSTs): client ${clientSeconds.toFixed(2)} s, raw POST+JSON.parse ${rawSeconds.toFixed(2)} s, ratio ${speed.toFixed(2)}; ` +
      `peak growth ${SMALL / 1000}k heap ${mb(small.heapBytes)} MB rss ${mb(small.rssBytes)} MB, ${LARGE / 1000}k heap ${mb(large.heapBytes)} MB rss ${mb(large.rssBytes)} MB, ` +
      `ratio heap ${heapRatio.toFixed(2)} rss ${rssRatio.toFixed(2)}`,
    figures: [
      { name: 'listing.client', value: round(clientSeconds), unit: 's' },
      { name: 'listing.rawPosts', value: round(rawSeconds), unit: 's' },
      { name: 'listing.ratio', value: round(speed), unit: 'x' },
      { name: 'listing.heapGrowth20k', value: round(small.heapBytes / MB, 1), unit: 'MB' },
      { name: 'listing.heapGrowth100k', value: round(large.heapBytes / MB, 1), unit: 'MB' },
      { name: 'listing.rssGrowth20k', value: round(small.rssBytes / MB, 1), unit: 'MB' },
      { name: 'listing.rssGrowth100k', value: round(large.rssBytes / MB, 1), unit: 'MB' },
      { name: 'listing.heapRatio100kTo20k', value: round(heapRatio), unit: 'x' },
      { name: 'listing.rssRatio100kTo20k', value: round(rssRatio), unit: 'x' },
    ],
  };
}
