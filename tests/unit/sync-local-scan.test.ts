import { mkdirSync, mkdtempSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MARKER_FILE, TEMP_DIR, hasFolderMarker, setupSyncFolder } from '../../src-main/sync/folder-marker.js';
import { looksLikeMassDeletion, scanLocalFolder } from '../../src-main/sync/local-scan.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';

let root: string;
beforeEach(() => {
  root = join(mkdtempSync(join(tmpdir(), 'local-scan-')), 'Photos');
  setupSyncFolder(root);
});

/** Writes a file and returns the tracker row that says we downloaded it. */
function placed(relPath: string, content: string): TrackedFile {
  const full = join(root, relPath);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return {
    assetId: relPath, assetRecord: null, version: 'original', relPath, size: Buffer.byteLength(content),
    sha256: createHash('sha256').update(content).digest('hex'), mtimeMs: 0, fileChecksum: 'x',
    state: 'downloaded', recordedAt: 0, noticedAt: null,
  };
}

describe('scanLocalFolder', () => {
  it('sees present, moved (same size and hash elsewhere), vanished and untracked files', async () => {
    const kept = placed('2024/01/01/a.jpg', 'aaaa');
    const moved = placed('2024/01/01/b.jpg', 'bbbb');
    const gone = placed('2024/01/01/c.jpg', 'cccc');
    const other = placed('2024/01/01/d.jpg', 'dddd');
    mkdirSync(join(root, 'Favourites'));
    renameSync(join(root, moved.relPath), join(root, 'Favourites/renamed.jpg'));
    rmSync(join(root, gone.relPath));
    rmSync(join(root, other.relPath));
    // Same size as the vanished files, different bytes: not a move.
    writeFileSync(join(root, 'decoy.jpg'), 'zzzz');
    mkdirSync(join(root, TEMP_DIR));
    writeFileSync(join(root, TEMP_DIR, 'x.part'), 'cccc');

    const scan = await scanLocalFolder(root, [kept, moved, gone, other]);
    expect(scan.presentCount).toBe(1);
    expect(scan.moved).toEqual([{ file: moved, relPath: 'Favourites/renamed.jpg' }]);
    expect(scan.vanished.map((f) => f.relPath).sort()).toEqual([gone.relPath, other.relPath]);
    expect(scan.untracked).toEqual([{ relPath: 'decoy.jpg', size: 4 }]);
  });

  it('follows a file the user renamed to a decomposed (NFD) name, reading it under its real name', async () => {
    const moved = placed('2024/01/01/b.jpg', 'bbbb');
    const nfdName = 'Cafe\u0301/Cre\u0300me.jpg';
    mkdirSync(join(root, 'Cafe\u0301'));
    renameSync(join(root, moved.relPath), join(root, nfdName));

    const scan = await scanLocalFolder(root, [moved]);
    expect(scan.vanished).toEqual([]);
    // Recorded under the name the disk has, so later runs can open it.
    expect(scan.moved).toEqual([{ file: moved, relPath: nfdName }]);
  });

  it('ignores files already marked deleted-locally', async () => {
    const file = { ...placed('a.jpg', 'a'), state: 'deleted-locally' as const, noticedAt: 1 };
    rmSync(join(root, 'a.jpg'));
    const scan = await scanLocalFolder(root, [file]);
    expect(scan.vanished).toEqual([]);
  });
});

describe('safety checks', () => {
  it('a folder counts only with its marker, which setup writes once', () => {
    expect(hasFolderMarker(root)).toBe(true);
    rmSync(join(root, MARKER_FILE));
    expect(hasFolderMarker(root)).toBe(false);
    expect(hasFolderMarker(join(root, 'nowhere'))).toBe(false);
  });

  it.each([
    [4, 10, false], // below the minimum count
    [5, 100, false], // 5 % of the library
    [11, 100, true],
    [10, 100, false], // exactly the share is still fine
    [5, 5, true],
  ])('%i of %i vanished -> mass deletion %s', (vanished, total, expected) => {
    expect(looksLikeMassDeletion(vanished, total, { massDeletionShare: 0.1, massDeletionMinCount: 5 })).toBe(expected);
  });
});
