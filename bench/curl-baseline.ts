import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_HOSTS } from '../tests/sim/types.js';
import { runMeasured, type MeasuredRun } from './measured-process.js';

export interface CurlJob {
  url: string;
  /** Absolute path of the file to write. */
  path: string;
}

/**
 * Debian's curl fetching the same files over the same HTTPS with `--parallel` at the same
 * concurrency, writing each to its own file on the same disk, in its own process. Each host is
 * pinned to 127.0.0.1 with --resolve and the private CA given with --cacert, so curl verifies the
 * certificate exactly as the client does.
 */
export async function curlDownload(jobs: readonly CurlJob[], parallel: number, caPath: string, port: number, workDir: string): Promise<MeasuredRun> {
  const config = join(workDir, 'curl.config');
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  writeFileSync(config, jobs.map((job) => `url = ${quote(job.url)}\noutput = ${quote(job.path)}\n`).join(''));
  const resolve = Object.values(SIM_HOSTS).flatMap((host) => ['--resolve', `${host}:${port}:127.0.0.1`]);
  const run = await runMeasured('curl', [
    '--parallel', '--parallel-max', String(parallel), '--cacert', caPath, ...resolve,
    '--create-dirs', '--fail', '--silent', '--show-error', '--config', config,
  ]);
  if (run.exitCode !== 0) throw new Error(`curl exited ${run.exitCode}: ${run.stderr.slice(-2000)}`);
  return run;
}
