import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface MeasuredRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  /** CPU of the process itself, as the kernel accounted it (GNU time). */
  userSeconds: number;
  systemSeconds: number;
  peakRssMb: number;
}

/**
 * Runs one program in its own process under GNU time, so CPU seconds and peak RSS are the kernel's
 * figures for that process alone (not this one, not the simulator's).
 */
export function runMeasured(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<MeasuredRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const report = join(dir, 'time.txt');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', report, ...underPerf(command, args), command, ...args], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const fields = readFileSync(report, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
        const [userSeconds = NaN, systemSeconds = NaN, peakKb = NaN] = fields;
        resolve({ exitCode, stdout, stderr, wallSeconds, userSeconds, systemSeconds, peakRssMb: peakKb / 1024 });
      } catch (error) {
        reject(error as Error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    child.stdin.end(options.input ?? '');
  });
}

let perfRecordings = 0;

/**
 * BENCH_PERF_DIR=/tmp/perf records each measured process with Linux `perf` (Debian's linux-perf)
 * into that folder, numbered in run order and named after the program (`3-raw-node-fetch.data`):
 * where the CPU of the CLI, curl and plain Node goes (`perf report -i … --sort dso,sym`). The
 * figures then include perf's own overhead; use them to compare, not to report.
 */
function underPerf(command: string, args: string[]): string[] {
  const dir = process.env.BENCH_PERF_DIR;
  if (!dir) return [];
  mkdirSync(dir, { recursive: true });
  const program = args.find((arg) => /\.(m?js|ts)$/.test(arg)) ?? command;
  perfRecordings += 1;
  const output = join(dir, `${perfRecordings}-${basename(program).replace(/\.[^.]*$/, '')}.data`);
  return ['perf', 'record', '--quiet', '-F', '999', '-o', output, '--'];
}
