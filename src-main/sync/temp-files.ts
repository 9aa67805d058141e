import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_DIR } from './folder-marker.js';
import { lstatOrNull } from './real-folder.js';

/**
 * After a complete run no temp file is waiting to be resumed: whatever is left belongs to files no
 * longer wanted (filters changed, photo gone). Removes them and the temp folder itself.
 */
export async function removeLeftoverTempFiles(root: string): Promise<void> {
  const dir = join(root, TEMP_DIR);
  // A link in place of the temp folder points at someone else's files: leave them alone.
  if (!(await lstatOrNull(dir))?.isDirectory()) return;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.endsWith('.part')).map((n) => rm(join(dir, n), { force: true })));
  await rmdir(dir).catch(() => undefined);
}
