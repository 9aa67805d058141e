import { hostname } from 'node:os';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SyncError } from './sync-error.js';

interface LockBody {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Takes the per-account run lock (a file created exclusively) and returns its release. A lock left
 * by a process that no longer exists on this machine is stale and taken over.
 */
export function acquireRunLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    const body: LockBody = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    try {
      writeFileSync(lockPath, JSON.stringify(body), { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!isStale(lockPath)) break;
      rmSync(lockPath, { force: true });
    }
  }
  throw new SyncError('ALREADY_RUNNING');
}

function isStale(lockPath: string): boolean {
  let body: Partial<LockBody>;
  try {
    body = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockBody>;
  } catch {
    // Unreadable or half-written: the writer died between create and write.
    return true;
  }
  // Another machine's lock (a shared drive) cannot be checked: respect it.
  if (body.host !== hostname()) return false;
  if (typeof body.pid !== 'number') return true;
  try {
    process.kill(body.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
