import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedInCli, type CliAccount } from './built-cli.js';
import { lastRunPhases } from './cli-phases.js';
import { runMeasured, type MeasuredRun } from './measured-process.js';
import { round, timed, type Figure } from './measure.js';
import { noChangeFloor } from './no-change-floor.js';
import { seedSyncedLibrary } from './seed-library.js';
import { startSimProcess, type SimProcess } from './sim-process.js';
import { SMALL } from './transfer-bench.js';
import type { BenchCertificate } from './tls-cert.js';

const NEW_PHOTOS = 100;

/** The floor of a local scan: names only (readdir with file types), every folder in parallel. */
async function readdirOnlyWalk(root: string): Promise<number> {
  const entries = await readdir(root, { withFileTypes: true });
  const counts = await Promise.all(entries.map((e) => (e.isDirectory() ? readdirOnlyWalk(join(root, e.name)) : Promise.resolve(1))));
  return counts.reduce((a, b) => a + b, 0);
}

async function measuredSync(cli: CliAccount, sim: SimProcess, dataDir: string, expectDownloads: number) {
  const before = await sim.requests();
  const run = await cli.run(['--json', 'sync']);
  if (run.exitCode !== 0) throw new Error(`the CLI sync exited ${run.exitCode}: ${run.stderr.slice(-2000)}`);
  const summary = JSON.parse(run.stdout) as { downloaded: number; listing: string };
  if (summary.downloaded !== expectDownloads || summary.listing !== 'incremental') {
    throw new Error(`expected an incremental run downloading ${expectDownloads}, got ${summary.listing} downloading ${summary.downloaded}`);
  }
  const after = await sim.requests();
  return { run, requests: after.apple - before.apple, phases: lastRunPhases(dataDir) };
}

const runFigures = (prefix: string, run: MeasuredRun): Figure[] => [
  { name: `${prefix}.seconds`, value: round(run.wallSeconds), unit: 's' },
  { name: `${prefix}.cpuSeconds`, value: round(run.userSeconds + run.systemSeconds), unit: 's' },
  { name: `${prefix}.peakRss`, value: round(run.peakRssMb, 0), unit: 'MB' },
];

/**
 * Steady state: a library of `photos` small photos already synced (tracker and folder seeded
 * directly), then the built CLI's no-change run and a run with 100 new photos. Baselines of the
 * same run: a bare `node` start, the floor of a no-change run (a bare node making the same requests,
 * no-change-floor.ts) and a readdir-only parallel walk of the same folder (the floor of the local scan).
 */
export async function steadyBench(photos: number, cert: BenchCertificate): Promise<{ line: string; figures: Figure[] }> {
  const sim = await startSimProcess({ assets: photos, sizes: SMALL.sizes, tls: { key: cert.key, cert: cert.cert } });
  const base = mkdtempSync(join(tmpdir(), 'bench-steady-'));
  try {
    const dataDir = join(base, 'data');
    const folder = join(base, 'Photos');
    const cli = await signedInCli(sim, cert.caPath, dataDir, folder);
    const tracked = await seedSyncedLibrary(sim, dataDir, folder);

    const walk = await timed(() => readdirOnlyWalk(folder));
    const bareNode = await runMeasured(process.execPath, ['-e', '0']);
    const idle = await measuredSync(cli, sim, dataDir, 0);
    const floor = await noChangeFloor(sim, dataDir, cert.caPath);
    await sim.addAssets(NEW_PHOTOS);
    const fresh = await measuredSync(cli, sim, dataDir, NEW_PHOTOS);

    const k = `${Math.round(photos / 1000)}k`;
    const p = `steady${k}`;
    const line =
      `steady ${k} photos (${tracked} files): no-change run ${idle.run.wallSeconds.toFixed(2)} s, ${idle.requests} requests, ${idle.run.peakRssMb.toFixed(0)} MB peak RSS, ` +
      `floor (bare node + the same ${floor.requests} requests) ${floor.wallSeconds.toFixed(2)} s, ratio ${(idle.run.wallSeconds / floor.wallSeconds).toFixed(2)}; ` +
      `local scan ${idle.phases.scan.toFixed(2)} s (readdir-only walk ${walk.seconds.toFixed(2)} s, bare node ${bareNode.wallSeconds.toFixed(2)} s); ` +
      `${NEW_PHOTOS} new photos ${fresh.run.wallSeconds.toFixed(2)} s (${fresh.phases.transfer.toFixed(2)} s downloading), ${fresh.requests} requests, ${fresh.run.peakRssMb.toFixed(0)} MB`;
    return {
      line,
      figures: [
        { name: `${p}.trackedFiles`, value: tracked, unit: 'files' },
        ...runFigures(`${p}.noChange`, idle.run),
        { name: `${p}.noChange.requests`, value: idle.requests, unit: 'requests' },
        { name: `${p}.noChange.localScan`, value: round(idle.phases.scan), unit: 's' },
        // Target (issue 11): at most 2 requests, and at most 2 x a bare node making the same requests.
        { name: `${p}.noChange.floor`, value: round(floor.wallSeconds), unit: 's' },
        { name: `${p}.noChange.ratioToFloor`, value: round(idle.run.wallSeconds / floor.wallSeconds), unit: 'x' },
        { name: `${p}.readdirWalk`, value: round(walk.seconds), unit: 's' },
        { name: `${p}.localScanToReaddir`, value: round(idle.phases.scan / walk.seconds), unit: 'x' },
        { name: `${p}.bareNode`, value: round(bareNode.wallSeconds), unit: 's' },
        ...runFigures(`${p}.new${NEW_PHOTOS}`, fresh.run),
        { name: `${p}.new${NEW_PHOTOS}.requests`, value: fresh.requests, unit: 'requests' },
        { name: `${p}.new${NEW_PHOTOS}.transfer`, value: round(fresh.phases.transfer), unit: 's' },
        // Target: no more than the no-change run plus the downloads.
        { name: `${p}.new${NEW_PHOTOS}.overhead`, value: round(fresh.run.wallSeconds - fresh.phases.transfer - idle.run.wallSeconds), unit: 's' },
      ],
    };
  } finally {
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  }
}
