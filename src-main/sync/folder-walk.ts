import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DiskFile } from './plan-types.js';
import { RESERVED_PREFIX } from './folder-marker.js';

export interface FolderWalk {
  /** Every regular file (relative, '/'-separated), except the engine's own entries. */
  files: DiskFile[];
  /** Every symbolic link (or junction) met on the way, not followed: what lies under it is not walked. */
  links: string[];
  /** Every folder met on the way (a folder can occupy a name a photo wants). */
  folders: string[];
}

export async function walkFolder(root: string): Promise<FolderWalk> {
  const out: DiskFile[] = [];
  const links: string[] = [];
  const folders: string[] = [];
  async function visit(dir: string, prefix: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (prefix === '' && entry.name.startsWith(RESERVED_PREFIX)) continue;
      const rel = prefix + entry.name;
      // Symbolic links are not followed: a link loop or a link out of the folder is not ours.
      if (entry.isDirectory()) {
        folders.push(rel);
        await visit(join(dir, entry.name), `${rel}/`);
      }
      // The name exactly as the disk has it (a file copied from a Mac may be NFD): it is opened by
      // this name later; matching against tracked paths goes through pathKey, which normalises.
      else if (entry.isFile()) out.push({ relPath: rel, size: (await stat(join(dir, entry.name))).size });
      else if (entry.isSymbolicLink()) links.push(rel);
    }
  }
  await visit(root, '');
  return { files: out, links, folders };
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
