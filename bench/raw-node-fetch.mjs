// The floor of a safe download in Node, for the benchmarks: per file one HTTPS GET on a keep-alive
// agent, the body piped into a temp file, fsync, rename into place; `concurrency` at a time. No
// hashing, no tracker, no checks. Plain JavaScript so it runs under node alone (no tsx), trusting the
// bench's CA through NODE_EXTRA_CA_CERTS like the CLI. Usage: node raw-node-fetch.mjs jobs.json N
// where jobs.json is [{url, path}] and every host resolves to 127.0.0.1.
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { Agent, get } from 'node:https';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const [jobsFile, concurrencyArg] = process.argv.slice(2);
const jobs = JSON.parse(readFileSync(jobsFile, 'utf8'));
const concurrency = Number(concurrencyArg);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency, lookup: (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) });
const made = new Set();
// Temp files in raw-temp beside the jobs file (same disk), by job number: a long final name plus
// ".part" may not fit.
const tempDir = `${dirname(jobsFile)}/raw-temp`;
mkdirSync(tempDir, { recursive: true });

function fetchTo(url, path, number) {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET answered ${res.statusCode}`));
        return;
      }
      const dir = dirname(path);
      if (!made.has(dir)) mkdirSync(dir, { recursive: true });
      made.add(dir);
      const temp = join(tempDir, `${number}.part`);
      pipeline(res, createWriteStream(temp))
        .then(async () => {
          const handle = await open(temp, 'r+');
          await handle.sync();
          await handle.close();
          await rename(temp, path);
        })
        .then(resolve, reject);
    }).on('error', reject);
  });
}

let next = 0;
async function worker() {
  while (next < jobs.length) {
    const number = next++;
    await fetchTo(jobs[number].url, jobs[number].path, number);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
agent.destroy();
