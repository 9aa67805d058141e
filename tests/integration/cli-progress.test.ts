/**
 * Progress output of a real CLI sync: a bar redrawn in place when stderr is a terminal (run under
 * util-linux `script`, which gives the child a pseudo-terminal), plain log lines when it is not.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand, openSignedInCliWorld, type CliResult, type SignedInCliWorld } from './cli-harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let world: SignedInCliWorld;

/** Runs the CLI with a pseudo-terminal as stdin, stdout and stderr; `script` copies what it printed to our stdout. */
function cliOnTerminal(args: string[]): Promise<CliResult> {
  const command = [...cliCommand(world.env), ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: ROOT, env: { ...world.env, COLUMNS: '120' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr: '' }));
    child.stdin.end();
  });
}

beforeAll(async () => {
  world = await openSignedInCliWorld({ assets: 30, seed: 51 });
});
afterAll(async () => world?.close());

describe('sync progress', () => {
  it('on a terminal: a bar with files, bytes, rate and ETA, redrawn in place and cleared at the end', async () => {
    const result = await cliOnTerminal(['sync', '--concurrency', '1']);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain('\r\u001b[2K');
    expect(result.stdout).toMatch(/\[[#-]+\] \d+\/\d+ files, [\d.]+ [KM]?B\/[\d.]+ [KM]?B, [\d.]+ [KM]?B\/s, ETA (\d+s|-)/);
    expect(result.stdout).toMatch(/\[#{24}\] (\d+)\/\1 files/);
    expect(result.stdout).not.toContain('progress:');
    expect(result.stdout).toContain('Downloaded:');
  });

  it('not on a terminal: plain "progress:" log lines and no terminal control codes', async () => {
    world.sim.library.addAsset({ filename: 'NEW_ONE.JPG' });
    const result = await world.cli(['sync']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/INFO .*progress: 1\/1 files/);
    expect(result.stderr + result.stdout).not.toContain('\u001b[');
  });

  it('--quiet on a terminal: no bar and no summary when all went well', async () => {
    world.sim.library.addAsset({ filename: 'QUIET_ONE.JPG' });
    const result = await cliOnTerminal(['sync', '--quiet']);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toBe('');
  });
});
