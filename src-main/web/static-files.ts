/**
 * The built UI (dist/renderer) as files: only what is inside the folder, by extension's type.
 * index.html gets a marker telling the page to use the HTTP bridge.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, relative, resolve, isAbsolute } from 'node:path';

export const BRIDGE_MARKER = '<meta name="icloud-photo-sync-bridge" content="http" />';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** `relPath` inside `root`, or null when it would leave it. */
export function inside(root: string, relPath: string): string | null {
  const full = resolve(root, relPath.replace(/^\/+/, ''));
  const rel = relative(resolve(root), full);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? null : full;
}

/** The file a request path names, or null when there is none (also a malformed %-escape: no file has that name). */
export async function readUiFile(uiDir: string, pathname: string): Promise<{ body: Buffer; type: string } | null> {
  const relPath = pathname === '/' ? 'index.html' : decodedPath(pathname);
  const file = relPath === null ? null : inside(uiDir, relPath);
  if (!file) return null;
  try {
    let body = await readFile(file);
    if (file === join(resolve(uiDir), 'index.html')) body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    ${BRIDGE_MARKER}`));
    return { body, type: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}

function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}
