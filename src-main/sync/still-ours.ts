import { sha256OfFile } from './folder-walk.js';
import { lstatOrNull } from './real-folder.js';

/**
 * True when the file at `fullPath` is still exactly what the engine wrote (or adopted): same size
 * and modification time, or, when the time differs, the same SHA-256. Anything else means the user
 * changed it, and it is never replaced or moved.
 */
export async function isStillOurs(fullPath: string, recorded: { size: number; mtimeMs: number; sha256: string }): Promise<boolean> {
  const info = await lstatOrNull(fullPath);
  if (!info?.isFile() || info.size !== recorded.size) return false;
  if (Math.round(info.mtimeMs) === recorded.mtimeMs) return true;
  return (await sha256OfFile(fullPath)) === recorded.sha256;
}
