/**
 * Durability as the kernel sees it: the real CLI runs under strace, and the order of its system
 * calls shows that each finished file's folder is fsynced after the rename and before the tracker
 * (SQLite's WAL) records the file. The recording write is found by its bytes (the file's relative
 * path in the page SQLite writes): a WAL write in between that records earlier files (a batch written
 * on its timer) is not this file's record. Skipped where strace is not installed.
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

type Call = { kind: 'rename'; from: string; to: string } | { kind: 'mkdir'; path: string } | { kind: 'fsync'; path: string } | { kind: 'wal'; bytes: string };

/** strace -xx prints every string and path as \xNN bytes; this turns one back into text. */
function fromHex(escaped: string): string {
  return Buffer.from(escaped.replace(/\\x/g, ''), 'hex').toString('utf8');
}

/** The same bytes as strace -xx prints them, to find a text inside a written buffer. */
function toHex(text: string): string {
  return [...Buffer.from(text)].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
}

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
    const mkdir = /^mkdir(?:at)?\((?:[^,]+, )?"([^"]+)"/.exec(full);
    const fsync = /^f(?:data)?sync\(\d+<([^>]+)>/.exec(full);
    const write = /^pwrite64\(\d+<([^>]+)>, "([^"]*)"/.exec(full);
    if (rename) calls.push({ kind: 'rename', from: fromHex(rename[1]!), to: fromHex(rename[2]!) });
    else if (mkdir) calls.push({ kind: 'mkdir', path: fromHex(mkdir[1]!) });
    else if (fsync) calls.push({ kind: 'fsync', path: fromHex(fsync[1]!) });
    else if (write && fromHex(write[1]!).endsWith('-wal')) calls.push({ kind: 'wal', bytes: write[2]! });
  }
  return calls;
}

describe('sync durability (real CLI under strace)', () => {
  it('fsyncs the folder of every finished file after its rename, and the parent of every folder it made, before the tracker records the file', async ({ skip }) => {
    skip(!hasStrace, 'strace is not installed');
    const out = join(world.base, 'strace.txt');
    // -xx -s: every written byte in hex, so the WAL write holding a file's path can be told apart.
    const args = ['-f', '-y', '-xx', '-s', '70000', '-e', 'trace=rename,renameat,renameat2,mkdir,mkdirat,fsync,fdatasync,pwrite64', '-o', out];
    const env = { ...world.env, ICLOUD_PHOTO_SYNC_CONCURRENCY: '1' };
    const child = spawn('strace', [...args, ...cliCommand(env), 'sync'], { cwd: ROOT, env, stdio: 'ignore' });
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(exitCode).toBe(0);

    const calls = parseStrace(readFileSync(out, 'utf8'));
    const placed = calls.flatMap((call, index) => (call.kind === 'rename' && call.from.endsWith('.part') ? [{ to: call.to, index }] : []));
    const files = trackedFiles(world.trackerPath);
    expect(placed.map((p) => p.to).sort()).toEqual(files.map((f) => join(realpathSync(world.folder), ...f.relPath.split('/'))).sort());
    const root = realpathSync(world.folder);
    const madeFolders = new Set<string>();
    for (const { to, index } of placed) {
      const relPath = to.slice(root.length + 1);
      const recorded = calls.findIndex((call, i) => i > index && call.kind === 'wal' && call.bytes.includes(toHex(relPath)));
      expect(recorded, `${relPath}: a WAL write after the rename records it`).toBeGreaterThan(index);
      const synced = calls.slice(index + 1, recorded).some((call) => call.kind === 'fsync' && call.path === dirname(to));
      expect(synced, `${relPath}: folder fsynced after the rename and before the WAL write that records it`).toBe(true);
      // Every folder on its way that this run made: the new entry in its parent is durable too.
      for (let folder = dirname(to); folder !== root; folder = dirname(folder)) {
        const made = calls.findIndex((call) => call.kind === 'mkdir' && call.path === folder);
        if (made < 0) continue;
        madeFolders.add(folder);
        const parentSynced = calls.slice(made + 1, recorded).some((call) => call.kind === 'fsync' && call.path === dirname(folder));
        expect(parentSynced, `${folder}: its parent fsynced after it was made and before ${relPath} is recorded`).toBe(true);
      }
    }
    // The run did make its day folders (a fresh folder): the check above was not vacuous.
    expect(madeFolders.size).toBeGreaterThan(0);
  });
});
