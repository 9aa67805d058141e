import { createReadStream, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DiskFile } from './plan-types.js';
import { RESERVED_PREFIX } from './folder-marker.js';

/** Entries of one folder visited at the same time. */
const SLICE = 256;

/**
 * Every regular file under `root` (relative, '/'-separated), except the engine's own entries.
 * Folders are read and files stat'ed concurrently (one awaited call after another made a scan of
 * 100,000 files take seconds); the result keeps the order of a depth-first walk all the same.
 */
export async function walkFolder(root: string): Promise<DiskFile[]> {
  async function visit(dir: string, prefix: string): Promise<DiskFile[]> {
    const entries = await readdir(dir, { withFileTypes: true });
    const found: DiskFile[][] = [];
    // A slice at a time, so a flat folder of 100,000 files never has 100,000 calls in flight.
    for (let start = 0; start < entries.length; start += SLICE) {
      found.push(...(await Promise.all(entries.slice(start, start + SLICE).map((entry) => visitEntry(dir, prefix, entry)))));
    }
    return found.flat();
  }
  async function visitEntry(dir: string, prefix: string, entry: Dirent): Promise<DiskFile[]> {
    if (prefix === '' && entry.name.startsWith(RESERVED_PREFIX)) return [];
    const rel = prefix + entry.name;
    // Symbolic links are not followed: a link loop or a link out of the folder is not ours.
    if (entry.isDirectory()) return visit(join(dir, entry.name), `${rel}/`);
    // The name exactly as the disk has it (a file copied from a Mac may be NFD): it is opened by
    // this name later; matching against tracked paths goes through pathKey, which normalises.
    if (entry.isFile()) return [{ relPath: rel, size: (await stat(join(dir, entry.name))).size }];
    return [];
  }
  return visit(root, '');
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
