import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { SimLibrary } from '../library/index.js';
import type { RouteHandler, SimContext, SimRequest } from '../types.js';
import { parseRange } from './byte-range.js';
import { checkDownloadUrl } from './signed-url.js';

type Fault = 'reset' | 'truncate' | undefined;

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function drawFault(ctx: SimContext): Fault {
  const { resetRate, truncateRate } = ctx.faults();
  if (resetRate > 0 && ctx.random() < resetRate) return 'reset';
  if (truncateRate > 0 && ctx.random() < truncateRate) return 'truncate';
  return undefined;
}

/** Resolves once `stallAfterBytes` is off again; never while the client still waits and it is on. */
function stallReleased(ctx: SimContext, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (res.destroyed) done(false);
      else if (ctx.faults().stallAfterBytes === 0) done(true);
    }, 20);
    const done = (released: boolean) => {
      clearInterval(timer);
      resolve(released);
    };
  });
}

/** Sends the first bytes, holds the connection while the stall is on, then sends the rest. */
async function pumpStalled(part: { content: { stream(from: number, to: number): Readable }; start: number; stallAt: number; cut: number }, res: ServerResponse, fault: Fault, ctx: SimContext): Promise<void> {
  const { content, start, stallAt, cut } = part;
  const head = content.stream(start, stallAt);
  res.once('close', () => head.destroy());
  await new Promise<void>((resolve) => {
    head.once('end', resolve);
    head.once('error', () => (res.destroy(), resolve()));
    head.pipe(res, { end: false });
  });
  if (await stallReleased(ctx, res)) pump(content.stream(stallAt, cut), res, fault);
}

/** Sends the body; on a fault, only part of it, then a reset (RST) or a clean early close. */
function pump(source: Readable, res: ServerResponse, fault: Fault): void {
  res.once('close', () => source.destroy());
  source.once('error', () => res.destroy());
  source.pipe(res, { end: false });
  source.once('end', () => {
    if (fault === 'reset') {
      const socket = res.socket;
      if (socket && 'resetAndDestroy' in socket) socket.resetAndDestroy();
      else res.destroy();
    } else {
      res.end();
    }
  });
}

/** Serves the download URLs handed out in CPLMaster/CPLAsset records: pre-signed, no cookies. */
export function createContentHandler(library: SimLibrary, ctx: SimContext): RouteHandler {
  return (req: SimRequest, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return;
    }
    // The URL is pre-signed and iCloud's cookies are not in scope here (spec 5): a Cookie header
    // means the client leaked its session to another host.
    if (req.headers.cookie !== undefined) {
      ctx.recordViolation(req, 'cookies sent to the download host');
      sendText(res, 400, 'Bad Request');
      return;
    }
    const check = checkDownloadUrl(library, req.path, req.query, Date.now());
    if (!check.ok) {
      sendText(res, check.status, check.reason);
      return;
    }
    const content = library.contentOf(check.fileChecksum);
    if (!content) {
      sendText(res, 404, 'Not Found');
      return;
    }
    const size = content.size;
    const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, size);
    if (range.kind === 'unsatisfiable') {
      sendText(res, 416, 'Range Not Satisfiable', { 'Content-Range': `bytes */${size}` });
      return;
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size];
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': end - start,
      'Accept-Ranges': 'bytes',
    };
    if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
    const fault = req.method === 'GET' ? drawFault(ctx) : undefined;
    // A truncated body must end the connection, or the client would wait for the missing bytes.
    if (fault) headers.Connection = 'close';
    res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const cut = fault ? start + Math.floor((end - start) * (0.1 + 0.8 * ctx.random())) : end;
    const { stallAfterBytes } = ctx.faults();
    if (stallAfterBytes > 0 && cut - start > stallAfterBytes) void pumpStalled({ content, start, stallAt: start + stallAfterBytes, cut }, res, fault, ctx);
    else pump(content.stream(start, cut), res, fault);
  };
}
