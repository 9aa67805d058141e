import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureInsideRealFolder, LinkInFolderError, openNewTempFile, openTempFile, realFolder } from '../../src-main/sync/real-folder.js';

let base: string;
let root: string;
beforeEach(async () => {
  base = mkdtempSync(join(tmpdir(), 'real-folder-'));
  mkdirSync(join(base, 'root'));
  root = await realFolder(join(base, 'root'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('ensureInsideRealFolder', () => {
  it('creates missing folders one by one and returns the path under the real root', async () => {
    expect(await ensureInsideRealFolder(root, 'a/b/c/x.jpg', true)).toBe(join(root, 'a', 'b', 'c', 'x.jpg'));
    writeFileSync(join(root, 'a', 'b', 'c', 'x.jpg'), 'x');
    expect(await ensureInsideRealFolder(root, 'a/b/c/x.jpg', false)).toBe(join(root, 'a', 'b', 'c', 'x.jpg'));
  });

  it('refuses a link anywhere on the way, naming the linked part, and creates nothing behind it', async ({ skip }) => {
    skip(process.platform === 'win32', 'creating symbolic links needs POSIX (Windows needs extra rights)');
    mkdirSync(join(base, 'elsewhere'));
    mkdirSync(join(root, 'a'));
    symlinkSync(join(base, 'elsewhere'), join(root, 'a', 'b'), 'dir');
    const refused = ensureInsideRealFolder(root, 'a/b/c/x.jpg', true);
    await expect(refused).rejects.toBeInstanceOf(LinkInFolderError);
    await expect(ensureInsideRealFolder(root, 'a/b/c/x.jpg', true)).rejects.toThrow(/^a\/b inside the sync folder is a link/);
    expect(readdirSync(join(base, 'elsewhere'))).toEqual([]);
  });

  it('refuses a link at the final name and a file where a folder should be', async ({ skip }) => {
    skip(process.platform === 'win32', 'creating symbolic links needs POSIX (Windows needs extra rights)');
    writeFileSync(join(base, 'target'), 't');
    symlinkSync(join(base, 'target'), join(root, 'x.jpg'));
    await expect(ensureInsideRealFolder(root, 'x.jpg', true)).rejects.toBeInstanceOf(LinkInFolderError);
    writeFileSync(join(root, 'plain'), 'p');
    await expect(ensureInsideRealFolder(root, 'plain/x.jpg', true)).rejects.toThrow(/a file where a folder should be/);
  });

  it('refuses a root that is not the real one (its parent resolves elsewhere)', async ({ skip }) => {
    skip(process.platform === 'win32', 'creating symbolic links needs POSIX (Windows needs extra rights)');
    symlinkSync(root, join(base, 'alias'), 'dir');
    await expect(ensureInsideRealFolder(join(base, 'alias'), 'x.jpg', true)).rejects.toBeInstanceOf(LinkInFolderError);
    expect(await ensureInsideRealFolder(await realFolder(join(base, 'alias')), 'x.jpg', true)).toBe(join(root, 'x.jpg'));
  });
});

describe('openTempFile', () => {
  it('appends on resume, starts afresh otherwise, and never opens through a link', async ({ skip }) => {
    skip(process.platform === 'win32', 'creating symbolic links needs POSIX (Windows needs extra rights)');
    const part = join(root, 'p.part');
    writeFileSync(part, 'abc');
    const resumed = await openTempFile(part, 'p.part', true);
    await resumed.write(Buffer.from('def'));
    await resumed.close();
    expect(readFileSync(part, 'utf8')).toBe('abcdef');
    const fresh = await openTempFile(part, 'p.part', false);
    await fresh.write(Buffer.from('z'));
    await fresh.close();
    expect(readFileSync(part, 'utf8')).toBe('z');
    writeFileSync(join(base, 'victim'), 'v');
    rmSync(part);
    symlinkSync(join(base, 'victim'), part);
    await expect(openTempFile(part, 'p.part', true)).rejects.toBeInstanceOf(LinkInFolderError);
    expect(readFileSync(join(base, 'victim'), 'utf8')).toBe('v');
  });
});

describe('openNewTempFile', () => {
  it('creates a new temp file, leaves an existing one alone (null), and neither follows nor reports a link as free', async ({ skip }) => {
    skip(process.platform === 'win32', 'creating symbolic links needs POSIX (Windows needs extra rights)');
    const part = join(root, 'n.part');
    const created = await openNewTempFile(part, 'n.part');
    expect(created).not.toBeNull();
    await created?.write(Buffer.from('new'));
    await created?.close();
    expect(readFileSync(part, 'utf8')).toBe('new');
    // A partial download already there: not opened, not truncated; the caller resumes it.
    expect(await openNewTempFile(part, 'n.part')).toBeNull();
    expect(readFileSync(part, 'utf8')).toBe('new');
    // A link at the name (to a file, or dangling) is never created through and never taken for a new file.
    writeFileSync(join(base, 'victim'), 'v');
    rmSync(part);
    symlinkSync(join(base, 'victim'), part);
    expect(await openNewTempFile(part, 'n.part')).toBeNull();
    rmSync(part);
    symlinkSync(join(base, 'nowhere'), part);
    expect(await openNewTempFile(part, 'n.part')).toBeNull();
    expect(readFileSync(join(base, 'victim'), 'utf8')).toBe('v');
    expect(readdirSync(base).sort()).toEqual(['root', 'victim']);
  });
});
