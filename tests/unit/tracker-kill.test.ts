import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { Tracker } from '../../src-main/tracker/tracker.js';

const writer = join(import.meta.dirname, 'tracker-kill-writer.ts');

it('a writer killed with SIGKILL mid-batch leaves an intact database holding only whole batches', async () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'tracker-kill-')), 'sync.db');
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').filter((line) => line.startsWith('batch')).length;
      // Kill while it is busy writing: the next transaction is already under way.
      if (seen >= 5 && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve());
    child.on('error', reject);
  });
  expect(seen).toBeGreaterThanOrEqual(5);

  const raw = new Database(dbPath);
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  raw.close();
  const tracker = Tracker.open(dbPath);
  const count = tracker.counts().downloaded;
  expect(count).toBeGreaterThanOrEqual(5 * 200);
  expect(count % 200).toBe(0);
  tracker.close();
});
