/**
 * The app's own origin: the built renderer served as app://ui/… through `protocol.handle`, not
 * file:// (which would give the page the whole disk's origin). Only files inside the renderer folder
 * are served, each with a strict Content-Security-Policy; anything else is a 404.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { CONTENT_TYPES, inside } from '../web/static-files.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ui';

/** The views a window can open; the renderer picks its view from the URL's hash. */
export type AppView = 'status' | 'deleted' | 'settings' | 'setup' | 'code';

/** No inline script, no remote anything, no plugins, no framing, no form posts: the page only talks through the preload. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes; no stylesheet comes from elsewhere.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function appUrl(view: AppView): string {
  return `${APP_SCHEME}://${APP_HOST}/index.html#${view}`;
}

/** True for a URL of the app's own pages (app://ui/…), the only frames whose IPC is answered. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Registered before the app is ready: app:// behaves like https (secure, standard URL rules, fetch). */
export const APP_SCHEME_PRIVILEGES = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };

export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: securityHeaders() });
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    if (pathname.includes('\0')) return notFound();
    const file = inside(rendererDir, pathname === '/' ? 'index.html' : pathname);
    if (!file) return notFound();
    try {
      if (!(await stat(file)).isFile()) return notFound();
      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: { ...securityHeaders(), 'Content-Type': type } });
    } catch {
      return notFound();
    }
  };
}

function securityHeaders(): Record<string, string> {
  return { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}
