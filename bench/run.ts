import { downloadBench } from './download-bench.js';
import { latencyListingBench, listingBench } from './listing-bench.js';
import type { BenchResult } from './measure.js';
import { syncBench } from './sync-bench.js';
import { trackerBench } from './tracker-bench.js';

/**
 * `npm run bench [-- download listing tracker sync]`: each bench prints one line as it finishes,
 * then a table of every figure and, last, one JSON line of them all. Figures are ratios against a
 * baseline measured in the same run, so they mean something on any machine; nothing here asserts.
 */
const BENCHES: Record<string, () => Promise<BenchResult> | BenchResult> = {
  download: downloadBench,
  listing: listingBench,
  'listing-latency': latencyListingBench,
  tracker: trackerBench,
  sync: syncBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown bench: ${unknown.join(', ')}. Choose from: ${Object.keys(BENCHES).join(', ')}.`);
  process.exit(2);
}

const results: BenchResult[] = [];
const started = Date.now();
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const benchStarted = Date.now();
  const result = await bench();
  results.push(result);
  console.log(`${result.line}  [${((Date.now() - benchStarted) / 1000).toFixed(0)} s]`);
}

const figures = results.flatMap((r) => r.figures);
const width = Math.max(...figures.map((f) => f.name.length));
console.log('');
console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(12)}  unit`);
for (const f of figures) console.log(`${f.name.padEnd(width)}  ${String(f.value).padStart(12)}  ${f.unit}`);
console.log(`(all benches: ${((Date.now() - started) / 1000).toFixed(0)} s, node ${process.version})`);
console.log(JSON.stringify(Object.fromEntries(figures.map((f) => [f.name, f.value]))));
