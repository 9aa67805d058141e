/**
 * Durability as the kernel sees it: the real CLI runs under strace, and the order of its system
 * calls shows that each finished file's folder is fsynced after the rename and before the tracker
 * (SQLite's WAL) records the file. Skipped where strace is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand, openSignedInCliWorld, trackedFiles, type SignedInCliWorld } from './cli-harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const hasStrace = spawnSync('strace', ['-V']).status === 0;

let world: SignedInCliWorld;
beforeAll(async () => {
  if (hasStrace) world = await openSignedInCliWorld({ assets: 8, seed: 3 });
});
afterAll(async () => world?.close());

type Call = { kind: 'rename'; from: string; to: string } | { kind: 'fsync'; path: string } | { kind: 'wal' };

/** Completed, successful calls in the order they finished; an interrupted call is joined with its resumption. */
function parseStrace(text: string): Call[] {
  const pending = new Map<string, string>();
  const calls: Call[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, rest] = match as unknown as [string, string, string];
    if (rest.includes('<unfinished ...>')) {
      pending.set(pid, rest.replace('<unfinished ...>', ''));
      continue;
    }
    const full = rest.startsWith('<... ') ? (pending.get(pid) ?? '') + rest.replace(/^<\.\.\. \w+ resumed>/, '') : rest;
    pending.delete(pid);
    if (/= -1 /.test(full)) continue;
    const rename = /^rename(?:at2?)?\(.*?"([^"]+)".*?"([^"]+)"/.exec(full);
    const fsync = /^f(?:data)?sync\(\d+<([^>]+)>/.exec(full);
    if (rename) calls.push({ kind: 'rename', from: rename[1]!, to: rename[2]! });
    else if (fsync) calls.push({ kind: 'fsync', path: fsync[1]! });
    else if (/^pwrite64\(\d+<[^>]+-wal>/.test(full)) calls.push({ kind: 'wal' });
  }
  return calls;
}

describe('sync durability (real CLI under strace)', () => {
  it('fsyncs the folder of every finished file after its rename and before the tracker records it', async ({ skip }) => {
    skip(!hasStrace, 'strace is not installed');
    const out = join(world.base, 'strace.txt');
    const args = ['-f', '-y', '-e', 'trace=rename,renameat,renameat2,fsync,fdatasync,pwrite64', '-o', out];
    const env = { ...world.env, ICLOUD_PHOTO_SYNC_CONCURRENCY: '1' };
    const child = spawn('strace', [...args, ...cliCommand(env), 'sync'], { cwd: ROOT, env, stdio: 'ignore' });
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(exitCode).toBe(0);

    const calls = parseStrace(readFileSync(out, 'utf8'));
    const placed = calls.flatMap((call, index) => (call.kind === 'rename' && call.from.endsWith('.part') ? [{ to: call.to, index }] : []));
    const files = trackedFiles(world.trackerPath);
    expect(placed.map((p) => p.to).sort()).toEqual(files.map((f) => join(realpathSync(world.folder), ...f.relPath.split('/'))).sort());
    for (const { to, index } of placed) {
      const nextWal = calls.findIndex((call, i) => i > index && call.kind === 'wal');
      const synced = calls.slice(index + 1, nextWal === -1 ? undefined : nextWal).some((call) => call.kind === 'fsync' && call.path === dirname(to));
      expect(synced, `${to}: folder fsynced before the tracker's next write`).toBe(true);
    }
  });
});
