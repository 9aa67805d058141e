import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src-main/sync/run-lock.js';

const holderScript = join(import.meta.dirname, 'run-lock-holder.ts');

const started: ChildProcess[] = [];
afterEach(() => {
  // A failed test must not leave a holder behind.
  for (const child of started.splice(0)) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Starts a process that takes the lock; resolves with its first line ("held" or "refused CODE"). */
function startHolder(lockPath: string, wrapper: string[] = []): { child: ChildProcess; said: Promise<string> } {
  const [command, ...args] = [...wrapper, process.execPath, '--import', 'tsx', holderScript, lockPath];
  const child = spawn(command as string, args, { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  started.push(child);
  const said = new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
    child.on('error', reject);
    child.on('exit', () => resolve(text.trim()));
  });
  return { child, said };
}

/** SIGKILLs the holder's whole process group; done when every process holding its stdout is gone. */
async function kill(child: ChildProcess): Promise<void> {
  const closed = new Promise((resolve) => child.on('close', resolve));
  process.kill(-(child.pid as number), 'SIGKILL');
  await closed;
}

function lockPathIn(name: string): string {
  return join(mkdtempSync(join(tmpdir(), `run-lock-${name}-`)), 'account.db.lock');
}

/** `unshare` with user, UTS and pid namespaces: a process with its own host name and pid 1, as in a container. */
const canUnshare = spawnSync('unshare', ['-rU', '--uts', '-pf', 'true']).status === 0;

describe('run lock (two real processes)', () => {
  it('refuses a second process while the first holds it, and is free the moment the holder is SIGKILLed', async ({ skip }) => {
    skip(process.platform === 'win32', 'kills the holder\'s process group, which Windows does not have');
    const lockPath = lockPathIn('kill');
    const first = startHolder(lockPath);
    expect(await first.said).toBe('held');
    const second = startHolder(lockPath);
    expect(await second.said).toBe('refused ALREADY_RUNNING');
    expect(() => acquireRunLock(lockPath)).toThrow(expect.objectContaining({ code: 'ALREADY_RUNNING' }));
    await kill(first.child);
    const release = acquireRunLock(lockPath);
    const third = startHolder(lockPath);
    expect(await third.said).toBe('refused ALREADY_RUNNING');
    release();
  });

  it('a run SIGKILLed in a container (another host name, pid 1) does not block the next run', async ({ skip }) => {
    skip(process.platform === 'win32' || !canUnshare, 'needs `unshare` (user, UTS and pid namespaces), which this machine does not offer');
    const lockPath = lockPathIn('container');
    const containerRun = startHolder(lockPath, ['unshare', '-rU', '--uts', '-pf', 'sh', '-c', 'hostname container-run-1 && exec "$@"', 'sh']);
    expect(await containerRun.said).toBe('held');
    await kill(containerRun.child);
    const release = acquireRunLock(lockPath);
    release();
  });

  it('several processes racing for a lock an earlier build left behind: exactly one wins', async ({ skip }) => {
    skip(process.platform === 'win32', 'the holders are stopped by killing their process group, which Windows does not have');
    const lockPath = lockPathIn('race');
    writeFileSync(lockPath, JSON.stringify({ pid: 2 ** 22 + 12345, host: 'gone', startedAt: '2024-01-01T00:00:00Z' }));
    const racers = Array.from({ length: 4 }, () => startHolder(lockPath));
    const said = await Promise.all(racers.map((racer) => racer.said));
    expect(said.filter((line) => line === 'held')).toHaveLength(1);
    expect(said.filter((line) => line === 'refused ALREADY_RUNNING')).toHaveLength(3);
  });

  it('one process: a second acquire is refused until the first releases', () => {
    const lockPath = lockPathIn('same');
    const release = acquireRunLock(lockPath);
    expect(() => acquireRunLock(lockPath)).toThrow(expect.objectContaining({ code: 'ALREADY_RUNNING' }));
    release();
    release();
    acquireRunLock(lockPath)();
  });

  it('a lock file left by an earlier build (JSON naming a live pid) does not block', () => {
    const lockPath = lockPathIn('old');
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: 'old-container', startedAt: '2024-01-01T00:00:00Z' }));
    const release = acquireRunLock(lockPath);
    expect(() => acquireRunLock(lockPath)).toThrow(expect.objectContaining({ code: 'ALREADY_RUNNING' }));
    release();
  });

  it('a file at the lock path that is neither a lock nor an old lock file is reported, not removed', () => {
    const lockPath = lockPathIn('foreign');
    writeFileSync(lockPath, 'someone else\'s notes');
    expect(() => acquireRunLock(lockPath)).toThrow(/is not this app's run lock\. Move that file elsewhere/);
    expect(readFileSync(lockPath, 'utf8')).toBe('someone else\'s notes');
  });
});
