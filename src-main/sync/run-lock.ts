import { readFileSync, truncateSync } from 'node:fs';
import { openSqlite } from '../tracker/sqlite.js';
import { SyncError } from './sync-error.js';

/**
 * The per-account run lock: an exclusive transaction held open on a small SQLite database beside
 * the tracker (not the tracker itself, which runs in WAL mode and must stay readable during a run).
 *
 * SQLite takes the operating system's own file lock for it (fcntl on POSIX, LockFileEx on Windows),
 * and the system drops that lock when the process ends, however it ends: a SIGKILL, a power cut or a
 * container restart cannot leave a lock behind, so nothing ever has to judge a lock "stale". Two
 * connections in one process exclude each other too.
 *
 * The file itself stays after release: deleting it could let a process that already opened the old
 * file and one that creates a new one both hold "the" lock.
 *
 * Returns the release; a second holder gets ALREADY_RUNNING at once (no waiting).
 */
export function acquireRunLock(lockPath: string): () => void {
  try {
    return lockOnce(lockPath);
  } catch (error) {
    if (!isNotADatabase(error)) throw error;
    if (!removeOldVersionLock(lockPath)) {
      throw new Error(`${lockPath} is not this app's run lock. Move that file elsewhere and run again.`, { cause: error });
    }
    return lockOnce(lockPath);
  }
}

function lockOnce(lockPath: string): () => void {
  const db = openSqlite(lockPath);
  try {
    db.pragma('busy_timeout = 0');
    // Rollback journal: BEGIN EXCLUSIVE then takes the file's exclusive lock right away.
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new SyncError('ALREADY_RUNNING', undefined, { cause: error });
    throw error;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    db.exec('ROLLBACK');
    db.close();
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function isNotADatabase(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_NOTADB';
}

/**
 * Earlier builds wrote a small JSON file ({"pid":…,"host":…}) at the same path; such a file holds no
 * lock. Empties it, which makes it an empty database (true: try again); anything else that is not a
 * database is left for the user. Emptied in place, never deleted: two runs meeting such a file at
 * the same moment still lock one and the same file, and emptying it again changes nothing (a lock
 * writes nothing into it).
 */
function removeOldVersionLock(lockPath: string): boolean {
  let text: string;
  let body: unknown;
  try {
    text = readFileSync(lockPath, 'utf8');
    // Another run emptied it (or already locked it) between our open and this read: it is ours to try again.
    if (text === '' || text.startsWith('SQLite format 3')) return true;
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null || !('pid' in body)) return false;
  truncateSync(lockPath, 0);
  return true;
}
