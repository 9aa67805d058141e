/**
 * `protocol` stand-in: each `scheme://host` the shell loads is served on its own loopback HTTP
 * origin (http://127.0.0.1:PORT), and every request there is turned into a real `Request` for
 * `scheme://host/path` and answered by the shell's own `protocol.handle` callback. So the shell's
 * app-protocol handler, its path checks and its response headers (the CSP) are what Chromium gets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Readiness } from './app.js';

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/** Electron's error for `session.defaultSession` (and so `protocol.handle`) before `ready`. */
export const SESSION_BEFORE_READY = 'Session can only be received when app is ready';

interface Origin {
  scheme: string;
  host: string;
  server: Server;
  loopback: string;
}

export class StandinProtocol {
  readonly privileged: Array<{ scheme: string; privileges?: object }> = [];
  private readonly handlers = new Map<string, ProtocolHandler>();
  private readonly origins: Origin[] = [];
  /** Every request the handler answered, for tests: `scheme://host/path` and the status. */
  readonly served: Array<{ url: string; status: number }> = [];

  constructor(private readonly app: Readiness) {}

  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: object }>): void {
    if (this.app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  }

  /** Electron's `protocol.handle` is the default session's, which does not exist before `ready`. */
  handle(scheme: string, handler: ProtocolHandler): void {
    this.app.requireReady(SESSION_BEFORE_READY, TypeError);
    this.handlers.set(scheme, handler);
  }

  isHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** The loopback URL Chromium loads for an app URL (starting its origin's server when new); http(s) as is. */
  async toLoopback(appUrl: string): Promise<string> {
    const url = new URL(appUrl);
    const scheme = url.protocol.slice(0, -1);
    if (scheme === 'http' || scheme === 'https') return appUrl;
    if (!this.handlers.has(scheme)) throw new Error(`no protocol.handle for ${scheme}: (the shell must register it before loading ${appUrl})`);
    let origin = this.origins.find((o) => o.scheme === scheme && o.host === url.host);
    if (!origin) origin = await this.serve(scheme, url.host);
    return `${origin.loopback}${url.pathname}${url.search}${url.hash}`;
  }

  /** The app URL a loopback URL stands for; any other URL unchanged (a foreign frame stays foreign). */
  toAppUrl(pageUrl: string): string {
    for (const origin of this.origins) {
      if (pageUrl === origin.loopback || pageUrl.startsWith(`${origin.loopback}/`)) {
        return `${origin.scheme}://${origin.host}${pageUrl.slice(origin.loopback.length) || '/'}`;
      }
    }
    return pageUrl;
  }

  async close(): Promise<void> {
    await Promise.all(this.origins.map((o) => new Promise<void>((resolve) => o.server.close(() => resolve()))));
    this.origins.length = 0;
  }

  private async serve(scheme: string, host: string): Promise<Origin> {
    const server = createServer((req, res) => void this.answer(scheme, host, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('loopback origin has no port');
    const origin = { scheme, host, server, loopback: `http://127.0.0.1:${address.port}` };
    this.origins.push(origin);
    return origin;
  }

  private async answer(scheme: string, host: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = `${scheme}://${host}${req.url ?? '/'}`;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      // Electron hands the handler the page's headers, not the loopback's Host.
      if (name === 'host' || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
    try {
      const handler = this.handlers.get(scheme);
      if (!handler) throw new Error(`no handler for ${scheme}:`);
      const response = await handler(new Request(url, { method: req.method, headers, body }));
      this.served.push({ url, status: response.status });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      // Electron answers a throwing handler with a failed load; a 500 is the nearest over HTTP.
      this.served.push({ url, status: 500 });
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`protocol handler failed: ${(error as Error).message}`);
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
