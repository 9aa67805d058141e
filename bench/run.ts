import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingsSchema } from '../src-main/config/settings.js';
import { archiveBench } from './archive-bench.js';
import { buildCli } from './built-cli.js';
import { firstSyncBench } from './first-sync-bench.js';
import { latencyListingBench, listingBench } from './listing-bench.js';
import type { Figure } from './measure.js';
import { steadyBench } from './steady-bench.js';
import { makeBenchCertificate } from './tls-cert.js';
import { trackerBench } from './tracker-bench.js';
import { LARGE, SMALL, transferBench, type TransferProfile } from './transfer-bench.js';

/**
 * `npm run bench [-- --quick | --full] [--concurrency=4,8,16] [large small steady memory tracker archive listing first listing-latency]`
 * (memory, listing, first and listing-latency run with --full or when named; --concurrency sets the curve of the profiles).
 * Each bench prints one line as it finishes, then a table of every figure; all of it goes to
 * bench/results.json. Time figures are ratios against a baseline measured in the same run (curl,
 * a bare node, a readdir-only walk, raw SQLite), so they mean something on any machine. Nothing here
 * asserts a speed: a bench fails only when a result is wrong.
 */
const args = process.argv.slice(2);
const mode = args.includes('--full') ? 'full' : args.includes('--quick') ? 'quick' : 'default';
const wanted = args.filter((a) => !a.startsWith('--'));
const quick = mode === 'quick';
const concurrency = settingsSchema.parse({}).concurrency;
const curveFlag = args.find((a) => a.startsWith('--concurrency='));
const curve = curveFlag ? curveFlag.slice('--concurrency='.length).split(',').map(Number) : mode === 'full' ? [4, 8, 16] : [concurrency];
if (curve.some((c) => !Number.isInteger(c) || c < 1 || c > 16)) {
  console.error('--concurrency takes whole numbers from 1 to 16, e.g. --concurrency=4,8,16.');
  process.exit(2);
}
const scaled = (profile: TransferProfile): TransferProfile => (quick ? { ...profile, assets: profile.assets / 20 } : profile);

const certDir = mkdtempSync(join(tmpdir(), 'bench-tls-'));
const cert = makeBenchCertificate(certDir);
type Bench = () => Promise<{ line: string; figures: Figure[] }> | { line: string; figures: Figure[] };
const BENCHES: Record<string, Bench[]> = {
  large: curve.map((c) => () => transferBench(scaled(LARGE), c, cert)),
  small: curve.map((c) => () => transferBench(scaled(SMALL), c, cert)),
  steady: [() => steadyBench(quick ? 10_000 : 100_000, cert)],
  // About 300,000 tracked files (1.2 files per photo): the memory target. Seeding 300,000 files
  // takes minutes on a busy disk, so it runs with --full or by name.
  memory: mode === 'full' || wanted.includes('memory') ? [() => steadyBench(253_000, cert)] : [],
  tracker: [trackerBench],
  archive: [() => archiveBench(quick)],
  listing: mode === 'full' || wanted.includes('listing') ? [listingBench] : [],
  // A first sync of 100,000 small photos (the ≤ 200 MB memory target): with --full or by name.
  first: mode === 'full' || wanted.includes('first') ? [() => firstSyncBench(quick ? 10_000 : 100_000, cert)] : [],
  // 100,000 assets at 40+10 ms per request, listed three ways: with --full or by name.
  'listing-latency': mode === 'full' || wanted.includes('listing-latency') ? [latencyListingBench] : [],
};

const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown bench: ${unknown.join(', ')}. Choose from: ${Object.keys(BENCHES).join(', ')}.`);
  process.exit(2);
}

const started = Date.now();
const lines: string[] = [];
const figures: Figure[] = [];
/** Per bench, its latest run: a bench run alone replaces only its own entry in results.json. */
const runs: Record<string, { date: string; mode: string; node: string; lines: string[]; figures: Record<string, number> }> = {};
try {
  buildCli();
  for (const [name, benches] of Object.entries(BENCHES)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    for (const bench of benches) {
      const benchStarted = Date.now();
      const result = await bench();
      lines.push(result.line);
      figures.push(...result.figures);
      const entry = (runs[name] ??= { date: new Date().toISOString(), mode, node: process.version, lines: [], figures: {} });
      entry.lines.push(result.line);
      Object.assign(entry.figures, Object.fromEntries(result.figures.map((f) => [f.name, f.value])));
      console.log(`${result.line}  [${((Date.now() - benchStarted) / 1000).toFixed(0)} s]`);
    }
  }
} finally {
  rmSync(certDir, { recursive: true, force: true });
}

const seconds = Math.round((Date.now() - started) / 1000);
const width = Math.max(...figures.map((f) => f.name.length));
console.log('');
console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(12)}  unit`);
for (const f of figures) console.log(`${f.name.padEnd(width)}  ${String(f.value).padStart(12)}  ${f.unit}`);
console.log(`(${mode} run: ${seconds} s, node ${process.version})`);
const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));
const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { benches?: typeof runs }).benches ?? {} : {};
writeFileSync(resultsFile, `${JSON.stringify({ concurrency, benches: { ...previous, ...runs } }, null, 2)}\n`);
