import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Thrown when a computed path would land outside the sync folder: a bug or a hostile name. */
export class PathEscapeError extends Error {
  constructor(relPath: string) {
    super(`Refusing a path outside the sync folder: ${JSON.stringify(relPath)}`);
    this.name = 'PathEscapeError';
  }
}

/** Absolute path of `relPath` ('/'-separated) inside `root`; throws rather than leave the folder. */
export function resolveInside(root: string, relPath: string): string {
  const base = resolve(root);
  const full = resolve(base, ...relPath.split('/'));
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw new PathEscapeError(relPath);
  return full;
}
