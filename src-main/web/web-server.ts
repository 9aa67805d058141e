/**
 * The local web page: the built UI and the service's contract over HTTP, on 127.0.0.1 by default.
 * Commands are POST /api/command with a JSON body (parsed by the contract's schema in the
 * service), events are Server-Sent Events on /api/events, the snapshot is GET /api/snapshot, a recent
 * arrival's thumbnail is GET /api/thumbnail?asset=<id>. node:http is enough for five routes; a framework would add more surface than it removes.
 * Never imports electron.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AppBridge } from '../../src-shared/contract.js';
import type { Logger } from '../icloud/logger.js';
import { createLogger } from '../log/logger.js';
import { CodeLimiter, DEFAULT_CODE_LIMITS, resetOnNewSignIn, type CodeLimits } from './code-limiter.js';
import { openEventStream } from './event-stream.js';
import { securityHeaders, sendJson, sendText } from './http-replies.js';
import { readUiFile } from './static-files.js';
import {
  allowedHosts,
  cookieValue,
  isLoopback,
  newSecret,
  SESSION_COOKIE,
  Sessions,
  stateChangeRefusal,
  type Refusal,
} from './web-guard.js';

export const DEFAULT_WEB_ADDRESS = '127.0.0.1';
export const DEFAULT_WEB_PORTS = { first: 47_620, last: 47_639 } as const;
export const DEFAULT_SESSION_IDLE_MS = 8 * 3600_000;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface WebServerOptions {
  bridge: AppBridge;
  /** The built UI (dist/renderer). */
  uiDir: string;
  address?: string;
  /** Tried in order; the first free one is used. */
  ports?: { first: number; last: number };
  sessionIdleMs?: number;
  codeLimits?: CodeLimits;
  maxBodyBytes?: number;
  logger?: Logger;
  now?: () => number;
  /**
   * Checks a notification's link token (GET /link/<token>) and forgets it: the kind of episode
   * that sent it, or null for an unknown, used or expired one. Without it /link/ is not served.
   */
  notificationLinks?: (token: string) => { kind: string } | null;
  /** The address notifications link to (Settings' publicUrl): its host is allowed too. */
  publicUrl?: string | null;
}

export interface WebServer {
  /** The page's address without the token (safe to log). */
  readonly url: string;
  /** The address with this start's token: a secret, never logged. */
  readonly link: string;
  close(): Promise<void>;
}

export class WebServerError extends Error {}

const STATUS_OF: Record<Refusal, number> = {
  'foreign-host': 421,
  'no-session': 401,
  'session-expired': 401,
  'bad-token': 401,
  'link-used': 410,
  'foreign-origin': 403,
  'missing-header': 403,
  'code-rate-limited': 429,
  'code-attempts-exhausted': 429,
  'body-too-large': 413,
  'not-found': 404,
  'bad-request': 400,
};

const MESSAGE_OF: Record<Refusal, string> = {
  'foreign-host': 'This page only answers on the address it was opened with.',
  'no-session': 'Open the link iCloud Photo Sync printed (run "icloud-photo-sync daemon --web" or see web-link.txt in the data folder).',
  'session-expired': 'Your session on this page has ended. Open the link iCloud Photo Sync printed again.',
  'bad-token': 'This link is not valid any more: iCloud Photo Sync was restarted. Open the newest link it printed.',
  'link-used':
    'This link was already used or has expired: each notification\'s link opens the page once, within a day. To get a new one, open the link iCloud Photo Sync printed (web-link.txt in the data folder), or wait for its next reminder.',
  'foreign-origin': 'Refused: this request did not come from the iCloud Photo Sync page.',
  'missing-header': 'Refused: this request did not come from the iCloud Photo Sync page.',
  'code-rate-limited': 'Too many codes in a minute. Wait a minute, then type the code again.',
  'code-attempts-exhausted': 'Too many codes for this sign-in. Sign in again to get a new code.',
  'body-too-large': 'The request is too large.',
  'not-found': 'Not found.',
  'bad-request': 'The request is not valid JSON.',
};

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.logger ?? createLogger('web');
  const address = options.address ?? DEFAULT_WEB_ADDRESS;
  const now = options.now ?? Date.now;
  const sessions = new Sessions(newSecret(), options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS, now);
  const limiter = new CodeLimiter(options.codeLimits ?? DEFAULT_CODE_LIMITS, now);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const streams = new Set<ServerResponse>();
  const stopWatchingSignIn = resetOnNewSignIn(options.bridge, limiter);
  let hosts = new Set<string>();
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : null;

  const refuse = (request: IncomingMessage, response: ServerResponse, why: Refusal) => {
    // The path only: a query may hold a token.
    log.warn({ event: 'web-request-refused', reason: why, method: request.method, path: pathOf(request) }, `page request refused: ${why}`);
    sendJson(response, STATUS_OF[why], { error: why, message: MESSAGE_OF[why] });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!hosts.has(host)) return refuse(request, response, 'foreign-host');
    const url = new URL(request.url ?? '/', `http://${host}`);
    const token = url.searchParams.get('token');
    if (token !== null && request.method === 'GET' && url.pathname === '/') {
      if (!sessions.tokenMatches(token)) return refuse(request, response, 'bad-token');
      log.info({ event: 'web-session-opened' }, 'page opened with the start link: session started');
      return openSession(response, '/');
    }
    const linkToken = request.method === 'GET' && options.notificationLinks ? notificationToken(url.pathname) : null;
    if (linkToken !== null) {
      const grant = options.notificationLinks?.(linkToken) ?? null;
      if (!grant) return refuse(request, response, 'link-used');
      log.info({ event: 'web-session-opened', from: grant.kind }, `page opened with a notification's link (${grant.kind}): session started`);
      return openSession(response, `/?from=${encodeURIComponent(grant.kind)}`);
    }
    const session = sessions.check(cookieValue(request, SESSION_COOKIE));
    if (session !== 'ok') return refuse(request, response, session);

    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /api/snapshot') return sendJson(response, 200, await options.bridge.getSnapshot());
    if (route === 'GET /api/events') return openEventStream(request, response, options.bridge, streams);
    if (route === 'GET /api/thumbnail') return serveThumbnail(response, url.searchParams.get('asset') ?? '', () => refuse(request, response, 'not-found'));
    if (route === 'POST /api/command') {
      const why = stateChangeRefusal(request, host, publicOrigin);
      if (why) return refuse(request, response, why);
      const body = await readBody(request, maxBody);
      if (body === 'too-large') return refuse(request, response, 'body-too-large');
      let command: unknown;
      try {
        command = JSON.parse(body);
      } catch {
        return refuse(request, response, 'bad-request');
      }
      if (commandType(command) === 'submit-code') {
        const allowed = limiter.take();
        if (allowed !== 'ok') return refuse(request, response, allowed);
      }
      // The service parses the command with the contract's schema, answers refusals itself and
      // audits sign-in steps (src-main/icloud/auth/sign-in-audit.ts).
      return sendJson(response, 200, await options.bridge.send(command as never));
    }
    if (request.method === 'GET') {
      const file = await readUiFile(options.uiDir, url.pathname);
      if (file) {
        response.writeHead(200, { ...securityHeaders(), 'content-type': file.type });
        response.end(file.body);
        return;
      }
    }
    refuse(request, response, 'not-found');
  };

  /** A new session's cookie, and a redirect that takes the token out of the address bar and the history. */
  const openSession = (response: ServerResponse, location: string) => {
    response.writeHead(303, {
      ...securityHeaders(),
      location,
      'set-cookie': `${SESSION_COOKIE}=${sessions.open()}; HttpOnly; SameSite=Strict; Path=/`,
    });
    response.end();
  };

  /** A recent arrival's thumbnail from the service's cache in the data folder (never a file of the sync folder). */
  const serveThumbnail = async (response: ServerResponse, assetId: string, notFound: () => void) => {
    const thumbnail = assetId ? await options.bridge.getThumbnail(assetId) : null;
    if (!thumbnail?.available) return notFound();
    response.writeHead(200, { ...securityHeaders(), 'cache-control': 'private, max-age=3600', 'content-type': thumbnail.contentType });
    response.end(thumbnail.bytes);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error({ err: error, path: pathOf(request) }, 'page request failed');
      if (!response.headersSent) sendText(response, 500, 'Something went wrong in iCloud Photo Sync; see its log.');
      else response.destroy();
    });
  });
  const port = await listenInRange(server, address, options.ports ?? DEFAULT_WEB_PORTS);
  hosts = allowedHosts(address, port, options.publicUrl ?? null);
  const shownHost = address.includes(':') ? `[${address}]` : address;
  const base = `http://${shownHost}:${port}/`;
  if (!isLoopback(address)) {
    log.warn({ event: 'web-non-loopback', address }, `the page listens on ${address}, reachable from other machines; it still requires the link's token`);
  }
  log.info({ event: 'web-started', url: base }, `local page at ${base} (open the link with its token)`);
  return {
    url: base,
    link: `${base}?token=${sessions.token}`,
    close: async () => {
      stopWatchingSignIn();
      for (const stream of streams) stream.end();
      // Requests in flight (the command that ended a sign-in) still get their answer.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    },
  };
}

const LINK_PATH = /^\/link\/([^/]+)$/;

/** The path, safe to log: without the query (it may hold a token) and without a link's token. */
function pathOf(request: IncomingMessage): string {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  return path.startsWith('/link/') ? '/link/…' : path;
}

function notificationToken(pathname: string): string | null {
  const match = LINK_PATH.exec(pathname);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return '';
  }
}

function commandType(command: unknown): string {
  const type = typeof command === 'object' && command !== null ? (command as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : '';
}

/** The body as text, or 'too-large' as soon as it passes `max` bytes (the rest is not read). */
function readBody(request: IncomingMessage, max: number): Promise<string | 'too-large'> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > max) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        request.removeAllListeners('data');
        request.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Listens on the first free port of the range; throws WebServerError when none is. */
async function listenInRange(server: Server, address: string, ports: { first: number; last: number }): Promise<number> {
  let lastError: NodeJS.ErrnoException | null = null;
  for (let port = ports.first; port <= ports.last; port++) {
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, address, () => {
          server.off('error', onError);
          resolve();
        });
      });
      const bound = server.address();
      if (bound && typeof bound === 'object') return bound.port;
    } catch (error) {
      lastError = error as NodeJS.ErrnoException;
      if (lastError.code !== 'EADDRINUSE') break;
    }
  }
  throw new WebServerError(`The local web page could not start: ${whyNotListening(lastError, address, ports)}`);
}

/** What went wrong when listening, and what the person can do about it, in plain words. */
function whyNotListening(error: NodeJS.ErrnoException | null, address: string, { first, last }: { first: number; last: number }): string {
  const range = first === last ? `port ${first}` : `every port from ${first} to ${last}`;
  switch (error?.code) {
    case 'EADDRINUSE':
      return `${range} on ${address} is in use. Change the port range in Settings, or close the program using ${first === last ? 'it' : 'them'}.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `${address} is not an address of this computer. Change the page's address in Settings (127.0.0.1 is this computer only).`;
    case 'EACCES':
      return `this user may not listen on ${range} of ${address}. Choose ports from 1024 up in Settings.`;
    default:
      return `listening on ${address} failed (${error?.message ?? 'unknown reason'}). Check the page's address and port range in Settings.`;
  }
}
