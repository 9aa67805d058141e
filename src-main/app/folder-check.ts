/**
 * What the first run (and Settings) says about a folder before it becomes the sync folder: whether
 * this user can write there, the free space on its disk, and how many files are already in it.
 * Which of those files are the person's iCloud photos (adopted, not downloaded again) is the
 * preview's dry run: that needs the library's listing.
 */
import { randomUUID } from 'node:crypto';
import { constants, existsSync, statSync } from 'node:fs';
import { access, rm, statfs, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { FolderCheck } from '../../src-shared/commands.js';
import { expandHome } from '../config/paths.js';
import { RESERVED_PREFIX } from '../sync/folder-marker.js';
import { walkFolders } from '../sync/folder-walk.js';

export async function checkFolder(given: string): Promise<FolderCheck> {
  const folder = resolve(expandHome(given.trim()));
  const found = nearestExisting(folder);
  const isDir = statSync(found).isDirectory();
  const exists = found === folder && isDir;
  const problem = !isDir
    ? found === folder
      ? `${folder} is a file, not a folder. Choose a folder.`
      : `${folder} cannot be created: ${found} is a file, not a folder. Choose another folder.`
    : exists
      ? await cannotWriteIn(folder)
      : await cannotCreateIn(found, folder);
  return {
    folder,
    exists,
    writable: problem === null,
    freeBytes: isDir ? await freeBytesAt(found) : null,
    filesFound: exists && problem === null ? await countFiles(folder) : 0,
    problem,
  };
}

/** The folder itself or its closest ancestor that exists (the root always does). */
function nearestExisting(path: string): string {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/** Writes and removes a probe file in the folder: permissions, a read-only disk, ACLs all show. */
async function cannotWriteIn(folder: string): Promise<string | null> {
  // The engine's reserved prefix: scans ignore it if a crash leaves it behind.
  const probe = join(folder, `${RESERVED_PREFIX}-check-${randomUUID()}`);
  try {
    await writeFile(probe, '', { flag: 'wx' });
    await rm(probe, { force: true });
    return null;
  } catch (error) {
    return `You cannot save files in ${folder} (${reasonOf(error)}). Choose another folder, or give yourself permission to write in it.`;
  }
}

/** A folder that does not exist yet is created inside `parent`: nothing is written there now. */
async function cannotCreateIn(parent: string, folder: string): Promise<string | null> {
  try {
    await access(parent, constants.W_OK | constants.X_OK);
    return null;
  } catch (error) {
    return `${folder} cannot be created: you cannot write in ${parent} (${reasonOf(error)}). Choose another folder.`;
  }
}

function reasonOf(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return (error as Error).message;
  }
}

async function freeBytesAt(dir: string): Promise<number | null> {
  try {
    const space = await statfs(dir);
    return Number(space.bavail) * Number(space.bsize);
  } catch {
    return null;
  }
}

async function countFiles(folder: string): Promise<number> {
  try {
    let files = 0;
    await walkFolders(folder, (walked) => {
      files += walked.length;
    });
    return files;
  } catch {
    // A sub-folder that cannot be read: the count is a hint, the dry run reads the folder properly.
    return 0;
  }
}
