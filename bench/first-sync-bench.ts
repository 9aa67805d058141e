import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedInCli } from './built-cli.js';
import { lastRunPhases } from './cli-phases.js';
import { round, type Figure } from './measure.js';
import { startSimProcess } from './sim-process.js';
import type { BenchCertificate } from './tls-cert.js';
import { SMALL } from './transfer-bench.js';

/**
 * The memory target of a first sync of 100,000 photos (issue 11: peak RSS ≤ 200 MB): the built CLI
 * syncs a library of `photos` small photos into an empty folder (full listing, plan, every
 * download). Small files keep the run short; the listing, the stage and the tracker grow with the
 * number of photos, not with their size. No baseline: memory is a count.
 */
export async function firstSyncBench(photos: number, cert: BenchCertificate): Promise<{ line: string; figures: Figure[] }> {
  const sim = await startSimProcess({ assets: photos, sizes: SMALL.sizes, tls: { key: cert.key, cert: cert.cert } });
  const base = mkdtempSync(join(tmpdir(), 'bench-first-'));
  try {
    const dataDir = join(base, 'data');
    const cli = await signedInCli(sim, cert.caPath, dataDir, join(base, 'Photos'));
    const run = await cli.run(['--json', 'sync']);
    if (run.exitCode !== 0) throw new Error(`the first sync exited ${run.exitCode}: ${run.stderr.slice(-2000)}`);
    const summary = JSON.parse(run.stdout) as { downloaded: number; listing: string };
    if (summary.listing !== 'full' || summary.downloaded === 0) throw new Error(`expected a full listing with downloads, got ${run.stdout.slice(0, 300)}`);
    const phases = lastRunPhases(dataDir);
    const k = `${Math.round(photos / 1000)}k`;
    return {
      line:
        `first sync of ${k} photos: ${summary.downloaded} files in ${run.wallSeconds.toFixed(1)} s (listing ${phases.listing.toFixed(1)} s, ` +
        `downloads ${phases.transfer.toFixed(1)} s), ${(run.userSeconds + run.systemSeconds).toFixed(1)} s CPU, ${run.peakRssMb.toFixed(0)} MB peak RSS`,
      figures: [
        { name: `first${k}.files`, value: summary.downloaded, unit: 'files' },
        { name: `first${k}.seconds`, value: round(run.wallSeconds), unit: 's' },
        { name: `first${k}.listing`, value: round(phases.listing), unit: 's' },
        { name: `first${k}.transfer`, value: round(phases.transfer), unit: 's' },
        { name: `first${k}.cpuSeconds`, value: round(run.userSeconds + run.systemSeconds), unit: 's' },
        // Target (issue 11): at most 200 MB.
        { name: `first${k}.peakRss`, value: round(run.peakRssMb, 0), unit: 'MB' },
      ],
    };
  } finally {
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  }
}
