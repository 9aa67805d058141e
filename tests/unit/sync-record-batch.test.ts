import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderSync } from '../../src-main/sync/folder-sync.js';
import { RecordBatch } from '../../src-main/sync/record-batch.js';
import { Tracker } from '../../src-main/tracker/tracker.js';

let dir: string;
let tracker: Tracker;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'record-batch-'));
  tracker = Tracker.open(join(dir, 'sync.db'));
});
afterEach(() => {
  tracker.close();
  rmSync(dir, { recursive: true, force: true });
});

const finished = (n: number) => ({
  file: {
    assetId: `a${n}`, assetRecord: null, version: 'original' as const, relPath: `2024/01/02/IMG_${n}.JPG`, size: 10, sha256: 'f'.repeat(64),
    mtimeMs: 1, fileChecksum: `ck${n}`, recordedAt: 1,
  },
});
const recorded = () => tracker.knownFiles().downloadedPaths();

describe('RecordBatch', () => {
  it('records files once the folders they landed in are fsynced', async () => {
    const batch = new RecordBatch(tracker, new FolderSync(), (error) => { throw error; });
    batch.add(finished(1), dir);
    batch.add(finished(2), dir);
    expect([...recorded()]).toEqual([]);
    await batch.flush();
    expect([...recorded()].sort()).toEqual(['2024/01/02/IMG_1.JPG', '2024/01/02/IMG_2.JPG']);
  });

  it.skipIf(process.platform === 'win32')('records nothing more in the run once a folder could not be fsynced, and says which folder and what to do', async () => {
    const failures: unknown[] = [];
    const batch = new RecordBatch(tracker, new FolderSync(), (error) => failures.push(error));
    // A folder that is gone: its fsync fails as a failing disk's would.
    batch.add(finished(1), dir);
    batch.add(finished(2), join(dir, 'gone'));
    await expect(batch.flush()).rejects.toThrow(/The folder .*gone was removed while photos were being saved into it.*run the sync again/);
    // A later batch into a folder that syncs fine is not recorded either: the failed folder's renames may never reach the disk.
    batch.add(finished(3), dir);
    await expect(batch.flush()).rejects.toThrow(/gone was removed/);
    expect([...recorded()]).toEqual([]);
  });
});
