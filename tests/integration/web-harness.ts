/**
 * The sync service behind the real local web server, reached over real HTTP with node:http (so a
 * test can send any Host, Origin or cookie, as a hostile page or a rebinding DNS name would).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceBridge } from '../../src-main/app/service-bridge.js';
import type { SyncServiceOptions } from '../../src-main/app/sync-service.js';
import { startWebServer, type WebServer, type WebServerOptions } from '../../src-main/web/web-server.js';
import type { Simulator } from '../sim/server.js';
import { captureLogger } from './client-auth-helpers.js';
import { openServiceWorld, type ServiceWorld } from './service-harness.js';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as received, for images. */
  bytes: Buffer;
}

export interface WebWorld {
  world: ServiceWorld;
  web: WebServer;
  /** host:port of the page. */
  host: string;
  lines: string[];
  /** A session cookie ("name=value") from the start link. */
  signIn(): Promise<string>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body: string, headers?: Record<string, string>): Promise<Reply>;
  /** A POST of a command as the page sends it. */
  command(cookie: string, command: unknown): Promise<Reply>;
  close(): Promise<void>;
}

export function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A built-UI stand-in: the server only needs files to serve; the browser tests use the real build. */
function uiFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-ui-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>iCloud Photo Sync</title></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("ui");');
  return dir;
}

export async function openWebWorld(
  options: Partial<WebServerOptions> = {},
  serviceOptions?: (sim: Simulator) => Partial<SyncServiceOptions>,
): Promise<WebWorld> {
  const world = await openServiceWorld({}, serviceOptions);
  const { logger, lines } = captureLogger();
  const uiDir = uiFolder();
  // The page's own bridge, as the daemon gives it (page-for-service.ts): its sign-ins are audited as the page's.
  const web = await startWebServer({ bridge: serviceBridge(world.service, 'page'), uiDir, ports: { first: 0, last: 0 }, logger, ...options });
  const host = new URL(web.url).host;
  const get = (path: string, headers: Record<string, string> = {}) => send(`${web.url.slice(0, -1)}${path}`, 'GET', { host, ...headers });
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    send(`${web.url.slice(0, -1)}${path}`, 'POST', { host, 'content-type': 'application/json', ...headers }, body);
  return {
    world, web, host, lines, get, post,
    signIn: async () => {
      const reply = await get(`/?token=${new URL(web.link).searchParams.get('token')}`);
      const cookie = String(reply.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      if (reply.status !== 303 || !cookie) throw new Error(`the start link was refused: ${reply.status} ${reply.body}`);
      return cookie;
    },
    command: (cookie, command) => post('/api/command', JSON.stringify(command), { cookie, origin: `http://${host}`, 'x-icloud-photo-sync': '1' }),
    close: async () => {
      await web.close();
      await world.close();
      rmSync(uiDir, { recursive: true, force: true });
    },
  };
}
