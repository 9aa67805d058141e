import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src-main/icloud/logger.js';
import { resolveDownloadSettings } from '../../src-main/icloud/photos/download/download-settings.js';
import { ResourceDownload, type DownloadJob } from '../../src-main/icloud/photos/download/resource-download.js';

/**
 * Download behaviours the simulator does not produce (a CDN that ignores Range, a 200 error page,
 * a body longer than announced), served by a small real HTTP server on 127.0.0.1.
 */

const BYTES = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7 + 3) % 251));
const SETTINGS = resolveDownloadSettings({ baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, maxUrlRefreshes: 2, idleTimeoutMs: 5_000 });

type Route = (req: IncomingMessage, res: ServerResponse) => void;

describe('photos: download edge cases', () => {
  let server: Server | undefined;
  const requests: Array<{ path: string; range: string | undefined }> = [];

  afterEach(async () => {
    requests.length = 0;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function serve(routes: Record<string, Route>): Promise<string> {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      requests.push({ path, range: req.headers.range });
      (routes[path] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function job(base: string, path: string, offset: number, fresh = '/fresh'): DownloadJob {
    return { url: `${base}${path}`, size: BYTES.length, offset, refreshUrl: () => Promise.resolve(`${base}${fresh}`), label: 'test/original' };
  }

  async function readAll(stream: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  const whole: Route = (_req, res) => {
    res.writeHead(200, { 'Content-Length': BYTES.length, 'Content-Type': 'application/octet-stream' });
    res.end(BYTES);
  };

  it('still starts at the offset when the server ignores Range and sends the whole file', async () => {
    const base = await serve({ '/file': whole });
    const bytes = await readAll(await new ResourceDownload(job(base, '/file', 20_000), SETTINGS, silentLogger).start());
    expect(requests).toEqual([{ path: '/file', range: 'bytes=20000-' }]);
    expect(bytes.equals(BYTES.subarray(20_000))).toBe(true);
  });

  it('takes a 200 error page of the wrong size as an expired link and fetches a fresh one', async () => {
    const errorPage: Route = (_req, res) => {
      const body = '{"error":"Gone"}\n';
      res.writeHead(200, { 'Content-Length': Buffer.byteLength(body), 'Content-Type': 'application/json' });
      res.end(body);
    };
    const base = await serve({ '/stale': errorPage, '/fresh': whole });
    const bytes = await readAll(await new ResourceDownload(job(base, '/stale', 0), SETTINGS, silentLogger).start());
    expect(bytes.equals(BYTES)).toBe(true);
    expect(requests.map((r) => r.path)).toEqual(['/stale', '/fresh']);
  });

  it('refuses a binary body of the wrong size', async () => {
    const short: Route = (_req, res) => {
      res.writeHead(200, { 'Content-Length': 10 });
      res.end(BYTES.subarray(0, 10));
    };
    const base = await serve({ '/file': short });
    await expect(new ResourceDownload(job(base, '/file', 0), SETTINGS, silentLogger).start()).rejects.toMatchObject({ code: 'APPLE_SERVER_ERROR' });
  });

  it('errors the stream when the body is longer than the record said', async () => {
    const longer: Route = (_req, res) => {
      res.writeHead(200); // chunked: no Content-Length to check up front
      res.end(Buffer.concat([BYTES, Buffer.from('extra')]));
    };
    const base = await serve({ '/file': longer });
    const stream = await new ResourceDownload(job(base, '/file', 0), SETTINGS, silentLogger).start();
    await expect(readAll(stream)).rejects.toMatchObject({ code: 'APPLE_SERVER_ERROR' });
  });

  it('gives up with NETWORK after a few failed attempts, and stops on a 404 at once', async () => {
    const failing: Route = (_req, res) => res.writeHead(502).end();
    const base = await serve({ '/down': failing });
    await expect(new ResourceDownload(job(base, '/down', 0), SETTINGS, silentLogger).start()).rejects.toMatchObject({ code: 'NETWORK' });
    expect(requests).toHaveLength(SETTINGS.maxAttempts);
    requests.length = 0;
    await expect(new ResourceDownload(job(base, '/missing', 0), SETTINGS, silentLogger).start()).rejects.toMatchObject({ code: 'APPLE_SERVER_ERROR' });
    expect(requests).toHaveLength(1);
  });

  it('stops with THROTTLED, saying when, when iCloud asks for a longer wait than it will sleep', async () => {
    const busy: Route = (_req, res) => res.writeHead(503, { 'Retry-After': '600' }).end();
    const base = await serve({ '/busy': busy });
    const before = Date.now();
    const error = await new ResourceDownload(job(base, '/busy', 0), SETTINGS, silentLogger).start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'THROTTLED' });
    expect((error as { retryAfter: Date }).retryAfter.getTime()).toBeGreaterThanOrEqual(before + 599_000);
    expect(requests).toHaveLength(1);
  });

  it('stops when the caller aborts', async () => {
    const slow: Route = (_req, res) => {
      res.writeHead(200, { 'Content-Length': BYTES.length });
      res.write(BYTES.subarray(0, 1000)); // and never the rest
    };
    const base = await serve({ '/slow': slow });
    const controller = new AbortController();
    const stream = await new ResourceDownload({ ...job(base, '/slow', 0), signal: controller.signal }, SETTINGS, silentLogger).start();
    const reading = readAll(stream);
    controller.abort();
    await expect(reading).rejects.toThrow();
  });

  it('does not crash the process when the caller aborts before reading, and still reports the abort when it reads', async () => {
    const slow: Route = (_req, res) => {
      res.writeHead(200, { 'Content-Length': BYTES.length });
      res.write(BYTES.subarray(0, 1000));
    };
    const base = await serve({ '/slow': slow });
    const controller = new AbortController();
    const stream = await new ResourceDownload({ ...job(base, '/slow', 0), signal: controller.signal }, SETTINGS, silentLogger).start();
    controller.abort(); // nobody listens to the stream yet: an unhandled 'error' would take the process down
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.destroyed).toBe(true);
    await expect(readAll(stream)).rejects.toThrow(/abort/i);
  });
});
