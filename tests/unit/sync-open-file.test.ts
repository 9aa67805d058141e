import { constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenFile } from '../../src-main/sync/open-file.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function newFile(): { path: string; file: OpenFile } {
  const dir = mkdtempSync(join(tmpdir(), 'open-file-'));
  dirs.push(dir);
  const path = join(dir, 'a.part');
  return { path, file: OpenFile.open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_APPEND, 0o600) };
}

describe('OpenFile', () => {
  it('refuses to close while a write is unfinished (its descriptor could be reused by another file), then closes once', async () => {
    const { path, file } = newFile();
    const writing = file.write(Buffer.from('hello'));
    expect(() => file.close()).toThrow(/unfinished/);
    expect(await writing).toBe(5);
    await file.sync();
    file.close();
    file.close();
    expect(readFileSync(path, 'utf8')).toBe('hello');
    await expect(file.write(Buffer.from('more'))).rejects.toThrow(/already closed/);
  });

  it('counts a failed write as finished', async () => {
    const { file } = newFile();
    // Reading a write-only descriptor fails (EBADF); the file can still be closed after.
    await expect(file.read(Buffer.alloc(4), 0, 4, 0)).rejects.toMatchObject({ code: 'EBADF' });
    expect(() => file.close()).not.toThrow();
  });
});
