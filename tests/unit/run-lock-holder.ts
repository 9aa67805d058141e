// Child process for run-lock.test.ts: takes the run lock at argv[2], says "held", then waits to be killed.
import { acquireRunLock } from '../../src-main/sync/run-lock.js';

const lockPath = process.argv[2];
if (!lockPath) throw new Error('lock path missing');
try {
  acquireRunLock(lockPath);
  process.stdout.write('held\n');
  setInterval(() => undefined, 60_000);
} catch (error) {
  process.stdout.write(`refused ${(error as { code?: string }).code ?? String(error)}\n`);
}
