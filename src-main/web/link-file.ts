/**
 * The page's link with its token is a secret: it goes to the terminal (when interactive) and to
 * this file, readable only by the user, never to a log.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileAtomic } from '../config/paths.js';

export const LINK_FILE_NAME = 'web-link.txt';

export function linkFilePath(dataDir: string): string {
  return join(dataDir, LINK_FILE_NAME);
}

export function writeLinkFile(dataDir: string, link: string): string {
  const path = linkFilePath(dataDir);
  writePrivateFileAtomic(path, `${link}\n`);
  return path;
}

/** The link ends with the server that made it. */
export function removeLinkFile(dataDir: string): void {
  rmSync(linkFilePath(dataDir), { force: true });
}
