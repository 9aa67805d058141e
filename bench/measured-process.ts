import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', report, command, ...args], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
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
