import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupSyncFolder } from '../../src-main/sync/folder-marker.js';
import { scanLocalFolder } from '../../src-main/sync/local-scan.js';
import { Tracker } from '../../src-main/tracker/tracker.js';
import type { NewTrackedFile } from '../../src-main/tracker/tracker-types.js';

// The scan as a run makes it: against the tracker's SQL, one folder at a time (tracked-by-folder.ts).
let root: string;
let tracker: Tracker;
beforeEach(() => {
  const base = mkdtempSync(join(tmpdir(), 'local-scan-sql-'));
  root = join(base, 'Photos');
  setupSyncFolder(root);
  tracker = Tracker.open(join(base, 'tracker.db'));
});
afterEach(() => tracker.close());

function placed(relPath: string, content: string, onDisk = true): NewTrackedFile {
  if (onDisk) {
    mkdirSync(dirname(join(root, relPath)), { recursive: true });
    writeFileSync(join(root, relPath), content);
  }
  return {
    assetId: relPath, version: 'original', relPath, size: Buffer.byteLength(content),
    sha256: createHash('sha256').update(content).digest('hex'), mtimeMs: 0, fileChecksum: 'x', recordedAt: 0,
  };
}

describe('scanLocalFolder against the tracker', () => {
  it('finds files in nested and hostile-named folders, and notices a whole folder gone', async () => {
    const files = [
      placed('top.jpg', 't'),
      placed('2024/01/01/a.jpg', 'a'),
      placed('2024/01/01/sub/deeper.jpg', 'dd'),
      placed('2024/01/a0.jpg', 'a0'), // sorts right after the folder '2024/01/' range ends ('0' follows '/')
      placed('📷 Ünïcode ☃/ça va?.jpg', 'emoji'),
      placed('📷 Ünïcode ☃/inner/x.jpg', 'x'),
      placed('2023/12/31/gone.jpg', 'gone'),
    ];
    tracker.recordFiles(files);
    rmSync(join(root, '2023'), { recursive: true });
    writeFileSync(join(root, '2024/01/01/new.jpg'), 'new!');

    const scan = await scanLocalFolder(root, tracker.filesByFolder());
    expect(scan.presentCount).toBe(6);
    expect(scan.vanished.map((f) => f.relPath)).toEqual(['2023/12/31/gone.jpg']);
    expect(scan.untracked).toEqual([{ relPath: '2024/01/01/new.jpg', size: 4 }]);
    expect(scan.moved).toEqual([]);
  });

  it('matches a file moved into another folder by its bytes, and leaves files under a link alone', async () => {
    const moved = placed('2024/01/01/b.jpg', 'bbbb');
    const linked = placed('Linked/c.jpg', 'cccc', false);
    tracker.recordFiles([moved, linked]);
    mkdirSync(join(root, 'Favourites'));
    writeFileSync(join(root, 'Favourites/renamed.jpg'), 'bbbb');
    rmSync(join(root, moved.relPath));
    symlinkSync(tmpdir(), join(root, 'Linked'));

    const scan = await scanLocalFolder(root, tracker.filesByFolder());
    expect(scan.moved.map((m) => [m.file.relPath, m.relPath])).toEqual([['2024/01/01/b.jpg', 'Favourites/renamed.jpg']]);
    expect(scan.underLink.map((f) => f.relPath)).toEqual(['Linked/c.jpg']);
    expect(scan.vanished).toEqual([]);
  });

  it('compares folders whose names differ only in case together (a case-sensitive disk)', async () => {
    const file = placed('Trip/x.jpg', 'x');
    tracker.recordFiles([{ ...file, relPath: 'trip/x.jpg' }]);
    mkdirSync(join(root, 'trip'));
    writeFileSync(join(root, 'trip/other.jpg'), 'o');

    const scan = await scanLocalFolder(root, tracker.filesByFolder());
    expect(scan.presentCount).toBe(1);
    expect(scan.vanished).toEqual([]);
    expect(scan.untracked).toEqual([{ relPath: 'trip/other.jpg', size: 1 }]);
  });
});
