/**
 * `status` reads the sync's and the archive's state from one open of the tracker: an open may check
 * every page (open-database.ts), so a second one doubled that cost. The real CLI runs under strace,
 * which counts the opens of the database file itself. Skipped where strace is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand, openSignedInCliWorld, type SignedInCliWorld } from './cli-harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const hasStrace = spawnSync('strace', ['-V']).status === 0;

let world: SignedInCliWorld;
beforeAll(async () => {
  if (hasStrace) world = await openSignedInCliWorld({ assets: 6, seed: 4 });
});
afterAll(async () => world?.close());

describe('icloud-photo-sync status (real CLI under strace)', () => {
  it('opens the tracker database once, and still reports the sync and the archive', async ({ skip }) => {
    skip(!hasStrace, 'strace is not installed');
    expect((await world.cli(['sync', '--json'])).exitCode).toBe(0);
    const out = join(world.base, 'strace-status.txt');
    const stdout: Buffer[] = [];
    const child = spawn('strace', ['-f', '-e', 'trace=open,openat', '-o', out, ...cliCommand(world.env), 'status', '--json'], { cwd: ROOT, env: world.env, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    expect(await new Promise<number | null>((resolve) => child.on('close', resolve))).toBe(0);

    const report = JSON.parse(Buffer.concat(stdout).toString('utf8')) as { counts: { downloaded: number }; archive: { enabled: boolean } };
    expect(report.counts.downloaded).toBeGreaterThan(0);
    expect(report.archive.enabled).toBe(false);
    const opens = readFileSync(out, 'utf8').split('\n').filter((line) => line.includes(`"${world.trackerPath}"`) && !/= -1 /.test(line));
    expect(opens).toHaveLength(1);
  });
});
