import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPaths, trackerFile } from '../src-main/config/paths.js';
import { Tracker } from '../src-main/tracker/tracker.js';
import type { TrackedFile } from '../src-main/tracker/tracker-types.js';
import type { SimSizes } from '../tests/sim/library/index.js';
import { signedInCli } from './built-cli.js';
import { lastRunPhases } from './cli-phases.js';
import { curlDownload } from './curl-baseline.js';
import { fileURLToPath } from 'node:url';
import { runMeasured, type MeasuredRun } from './measured-process.js';
import { MB, round, type Figure } from './measure.js';
import { startSimProcess, type SimProcess } from './sim-process.js';
import type { BenchCertificate } from './tls-cert.js';

const KIB = 1024;

export interface TransferProfile {
  name: 'large' | 'small';
  assets: number;
  sizes: SimSizes;
}

/** ~1.5 MB per file: the byte path (TLS, writes, hashing) dominates. */
export const LARGE: TransferProfile = {
  name: 'large', assets: 2_000,
  sizes: { photo: [1200 * KIB, 1700 * KIB], video: [1200 * KIB, 1700 * KIB], raw: [1200 * KIB, 1700 * KIB], liveVideo: [1200 * KIB, 1700 * KIB] },
};
/** ~3 KB per file: per-file costs (requests, opens, fsyncs, renames, tracker rows) dominate. */
export const SMALL: TransferProfile = {
  name: 'small', assets: 20_000,
  sizes: { photo: [3 * KIB, 4 * KIB], video: [2 * KIB, 4 * KIB], raw: [2 * KIB, 4 * KIB], liveVideo: [2 * KIB, 4 * KIB], imageFloor: 3 * KIB },
};

const RAW_NODE = fileURLToPath(new URL('./raw-node-fetch.mjs', import.meta.url));

/** Writes dirty pages out, so one side's writeback never lands on the other side's clock. */
function flushDisk(): void {
  execFileSync('sync');
}

function trackedFiles(dataDir: string, appleId: string): TrackedFile[] {
  const tracker = Tracker.openSnapshot(trackerFile(dataPaths(dataDir), appleId));
  try {
    return tracker.allFiles();
  } finally {
    tracker.close();
  }
}

/** One side's run and the CPU the simulator spent serving it (TLS and the bytes themselves). */
interface Side {
  run: MeasuredRun;
  serverCpuSeconds: number;
}

/** Runs one side and measures the simulator's CPU over the same span. */
async function measuredSide(sim: SimProcess, start: () => Promise<MeasuredRun>): Promise<Side> {
  const before = await sim.cpuSeconds();
  const run = await start();
  return { run, serverCpuSeconds: (await sim.cpuSeconds()) - before };
}

function cpuSeconds(side: Side): number {
  return side.run.userSeconds + side.run.systemSeconds;
}

/**
 * The shortest wall time the two processes' CPU allows when every core is busy the whole run: client
 * and simulator share this machine's cores, so a client that needs more CPU per byte than curl cannot
 * match curl's time however well it overlaps its work.
 */
function cpuBoundSeconds(side: Side): number {
  return (cpuSeconds(side) + side.serverCpuSeconds) / availableParallelism();
}

function side(prefix: string, measured: Side, files: number, bytes: number): Figure[] {
  const { run, serverCpuSeconds } = measured;
  return [
    { name: `${prefix}.seconds`, value: round(run.wallSeconds), unit: 's' },
    { name: `${prefix}.mbPerSecond`, value: round(bytes / MB / run.wallSeconds, 1), unit: 'MB/s' },
    { name: `${prefix}.filesPerSecond`, value: round(files / run.wallSeconds, 0), unit: 'files/s' },
    { name: `${prefix}.cpuSeconds`, value: round(cpuSeconds(measured)), unit: 's' },
    { name: `${prefix}.peakRss`, value: round(run.peakRssMb, 0), unit: 'MB' },
    { name: `${prefix}.serverCpuSeconds`, value: round(serverCpuSeconds), unit: 's' },
  ];
}

/**
 * One profile at one concurrency: the built CLI syncs the whole library into an empty folder (its
 * own process: listing, plan, download, hash, fsync, rename, tracker), then curl --parallel fetches
 * exactly the files the CLI wrote, from the same server over the same HTTPS, to the same disk, and
 * so does plain Node with the CLI's safety floor (raw-node-fetch.mjs: temp file, fsync, rename).
 * Ratios are client / curl of the same run. The CLI's time includes its listing; curl's does not.
 */
export async function transferBench(profile: TransferProfile, concurrency: number, cert: BenchCertificate): Promise<{ line: string; figures: Figure[] }> {
  const sim = await startSimProcess({ assets: profile.assets, sizes: profile.sizes, tls: { key: cert.key, cert: cert.cert } });
  const base = mkdtempSync(join(tmpdir(), `bench-${profile.name}-`));
  try {
    const dataDir = join(base, 'data');
    const folder = join(base, 'Photos');
    const cli = await signedInCli(sim, cert.caPath, dataDir, folder);
    flushDisk();
    const clientSide = await measuredSide(sim, () => cli.run(['--json', 'sync', '--concurrency', String(concurrency)]));
    const client = clientSide.run;
    if (client.exitCode !== 0) throw new Error(`the CLI sync exited ${client.exitCode}: ${client.stderr.slice(-2000)}`);
    const phases = lastRunPhases(dataDir);
    const files = trackedFiles(dataDir, sim.account.appleId);
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    rmSync(folder, { recursive: true, force: true });

    const curlFolder = join(base, 'curl');
    mkdirSync(curlFolder);
    const urls = await sim.downloadUrls(files.map((f) => f.fileChecksum));
    const jobs = files.map((f, i) => ({ url: urls[i] ?? '', path: join(curlFolder, ...f.relPath.split('/')) }));
    flushDisk();
    const curlSide = await measuredSide(sim, () => curlDownload(jobs, concurrency, cert.caPath, new URL(sim.urls.content).port ? Number(new URL(sim.urls.content).port) : 443, base));
    const curl = curlSide.run;
    const curlBytes = jobs.reduce((sum, job) => sum + statSync(job.path).size, 0);
    if (curlBytes !== bytes) throw new Error(`curl wrote ${curlBytes} bytes, the CLI ${bytes}`);
    rmSync(curlFolder, { recursive: true, force: true });

    // Second column: plain Node with the CLI's safety floor (temp file, fsync, rename) and nothing else.
    const rawFolder = join(base, 'raw');
    const rawJobs = join(base, 'raw-jobs.json');
    writeFileSync(rawJobs, JSON.stringify(files.map((f, i) => ({ url: urls[i], path: join(rawFolder, ...f.relPath.split('/')) }))));
    flushDisk();
    const rawSide = await measuredSide(sim, () => runMeasured(process.execPath, [RAW_NODE, rawJobs, String(concurrency)], { env: { ...process.env, NODE_EXTRA_CA_CERTS: cert.caPath } }));
    const raw = rawSide.run;
    if (raw.exitCode !== 0) throw new Error(`the raw Node download exited ${raw.exitCode}: ${raw.stderr.slice(-2000)}`);

    const p = `${profile.name}.c${concurrency}`;
    const mbRatio = curl.wallSeconds / client.wallSeconds;
    const reachableRatio = curl.wallSeconds / cpuBoundSeconds(clientSide);
    const rawReachableRatio = curl.wallSeconds / cpuBoundSeconds(rawSide);
    const line =
      `${profile.name} (${files.length} files, ${round(bytes / MB, 0)} MB, concurrency ${concurrency}): ` +
      `CLI ${client.wallSeconds.toFixed(1)} s (${(bytes / MB / client.wallSeconds).toFixed(0)} MB/s, ${(files.length / client.wallSeconds).toFixed(0)} files/s, ` +
      `${cpuSeconds(clientSide).toFixed(1)} s CPU, ${client.peakRssMb.toFixed(0)} MB peak RSS); ` +
      `listing ${phases.listing.toFixed(1)} s, downloads ${phases.transfer.toFixed(1)} s; ` +
      `curl ${curl.wallSeconds.toFixed(1)} s (${(bytes / MB / curl.wallSeconds).toFixed(0)} MB/s, ${(files.length / curl.wallSeconds).toFixed(0)} files/s); ` +
      `raw Node with fsync ${raw.wallSeconds.toFixed(1)} s (at most ${rawReachableRatio.toFixed(2)} of curl with its CPU); ratio ${mbRatio.toFixed(2)} of curl (at most ${reachableRatio.toFixed(2)} with this CPU), ${(raw.wallSeconds / client.wallSeconds).toFixed(2)} of raw Node`;
    return {
      line,
      figures: [
        { name: `${p}.files`, value: files.length, unit: 'files' },
        { name: `${p}.mb`, value: round(bytes / MB, 0), unit: 'MB' },
        ...side(`${p}.cli`, clientSide, files.length, bytes),
        ...side(`${p}.curl`, curlSide, files.length, bytes),
        ...side(`${p}.rawNodeFsync`, rawSide, files.length, bytes),
        // Same files and bytes on both sides, so the MB/s and files/s ratios are one number.
        { name: `${p}.ratioOfCurl`, value: round(mbRatio), unit: 'x' },
        // curl's time over the CLI's CPU-bound time: the most the ratio could reach at the CLI's and
        // the simulator's CPU seconds, both cores busy throughout (above it needs less CPU, not more overlap).
        { name: `${p}.reachableRatioOfCurl`, value: round(reachableRatio), unit: 'x' },
        // The same bound for plain Node: how far Node's HTTPS and file calls alone could go here.
        { name: `${p}.rawNodeFsync.reachableRatioOfCurl`, value: round(rawReachableRatio), unit: 'x' },
        { name: `${p}.ratioOfRawNodeFsync`, value: round(raw.wallSeconds / client.wallSeconds), unit: 'x' },
        { name: `${p}.cli.listing`, value: round(phases.listing), unit: 's' },
        { name: `${p}.cli.transfer`, value: round(phases.transfer), unit: 's' },
        // The download phase alone (after listing and planning) against curl, which does not list.
        { name: `${p}.transferRatioOfCurl`, value: round(curl.wallSeconds / phases.transfer), unit: 'x' },
      ],
    };
  } finally {
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  }
}
