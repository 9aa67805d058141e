import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupSyncFolder } from '../../src-main/sync/folder-marker.js';
import { scanLocalFolder } from '../../src-main/sync/local-scan.js';
import { Tracker } from '../../src-main/tracker/tracker.js';
import type { NewTrackedFile } from '../../src-main/tracker/tracker-types.js';

// The scan as a run makes it: against the tracker's SQL, its keys in index order (tracked-keys.ts).
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

  it("follows the tracker's key order where JavaScript's differs (U+E000-U+FFFF against characters above U+FFFF)", async () => {
    // '\uFF41' (fullwidth a) sorts after '😀' in UTF-16 units but before it in SQLite (code points).
    const files = [
      placed('\uFF41.jpg', 'w'),
      placed('😀.jpg', 'e'),
      placed('x\uFF41/1.jpg', 'w1'),
      placed('x😀/1.jpg', 'e1'),
      placed('x😀/2.jpg', 'e2', false),
    ];
    tracker.recordFiles(files);
    writeFileSync(join(root, 'x\uFF41/new.jpg'), 'n');

    const scan = await scanLocalFolder(root, tracker.filesByFolder());
    expect(scan.presentCount).toBe(4);
    expect(scan.vanished.map((f) => f.relPath)).toEqual(['x😀/2.jpg']);
    expect(scan.untracked).toEqual([{ relPath: 'x\uFF41/new.jpg', size: 1 }]);
  });

  it('reads the tracker a chunk of keys at a time: files on both sides of a chunk boundary are found', async () => {
    const files = Array.from({ length: 2100 }, (_, i) => placed(`${String(i % 7)}/f${String(i).padStart(4, '0')}.jpg`, String(i)));
    tracker.recordFiles(files);
    // In key order, 6/f1399.jpg is the last key of the first chunk (2,000 keys) and 6/f1406.jpg the first of the next.
    rmSync(join(root, '6/f1406.jpg'));
    writeFileSync(join(root, '6/f1399b.jpg'), 'b');

    const scan = await scanLocalFolder(root, tracker.filesByFolder());
    expect(scan.presentCount).toBe(2099);
    expect(scan.vanished.map((f) => f.relPath)).toEqual(['6/f1406.jpg']);
    expect(scan.untracked).toEqual([{ relPath: '6/f1399b.jpg', size: 1 }]);
  });

  it('compares nested folders whose names differ only in case as one, and a file under a deleted-locally row is not untracked', async () => {
    const inner = placed('Trip/Day/x.jpg', 'x');
    const upper = placed('TRIP/z.jpg', 'z');
    const forgotten = placed('trip/day/old.jpg', 'old');
    tracker.recordFiles([{ ...inner, relPath: 'trip/day/x.jpg' }, upper, forgotten]);
    tracker.markDeletedLocally([forgotten], 1);
    writeFileSync(join(root, 'trip/day/y.jpg'), 'y');

    const scan = await scanLocalFolder(root, tracker.filesByFolder());
    expect(scan.presentCount).toBe(2);
    expect(scan.vanished).toEqual([]);
    expect(scan.untracked).toEqual([{ relPath: 'trip/day/y.jpg', size: 1 }]);
    expect(scan.folders).toEqual(['TRIP', 'Trip', 'Trip/Day', 'trip', 'trip/day']);
  });

  it('walks a folder with more sub-folders than are read ahead at once (40 albums), each in its turn', async () => {
    const files = Array.from({ length: 40 }, (_, i) => placed(`Album ${String(i)}/photo.jpg`, String(i)));
    tracker.recordFiles(files);
    rmSync(join(root, 'Album 39/photo.jpg'));
    writeFileSync(join(root, 'Album 7/extra.jpg'), 'e');

    const scan = await scanLocalFolder(root, tracker.filesByFolder());
    expect(scan.presentCount).toBe(39);
    expect(scan.vanished.map((f) => f.relPath)).toEqual(['Album 39/photo.jpg']);
    expect(scan.untracked).toEqual([{ relPath: 'Album 7/extra.jpg', size: 1 }]);
    expect(scan.folders).toHaveLength(40);
  });
});
