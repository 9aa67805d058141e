import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ResolvedDownloadSettings } from './download-settings.js';

/** One GET of a pre-signed URL from a byte position, classified. */
export type OpenedResponse =
  /** Body bytes from `start` (206 from where we asked, or 200 from 0 when Range was ignored). */
  | { kind: 'body'; stream: IncomingMessage; start: number; contentLength: number | undefined }
  /** 403/410: the URL has expired. */
  | { kind: 'expired'; status: number }
  /** 429/5xx: try again later. */
  | { kind: 'transient'; status: number; headers: IncomingHttpHeaders }
  | { kind: 'failed'; status: number };

/** Connecting (DNS, TCP, TLS) may take this long before the attempt fails (ms). */
const CONNECT_TIMEOUT_MS = 15_000;
/** Redirects followed per request (a CDN may send one; more is a loop). */
const MAX_REDIRECTS = 5;

function contentRangeStart(header: string | undefined): number | undefined {
  const match = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(header ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ETIMEDOUT' });
}

/**
 * A cookie-less GET (the URL is pre-signed; iCloud's cookies must not travel to the content
 * host), always with `Range: bytes=<position>-` as icloudpd does, no decompression (byte counts
 * must match Apple's size), no retries here (the caller resumes instead of restarting), redirects
 * followed. Node's own http/https, not got: the body is the socket's own stream, with no extra
 * stream layer per chunk (got's plumbing was a large share of the CPU per byte and per file).
 * Connections are reused between downloads through Node's global agents, which keep them alive
 * (Node 19 and later). The socket may stay idle at most `idleTimeoutMs` (waiting for the answer or
 * for body bytes); after that the request fails with ETIMEDOUT. Rejects on network errors.
 */
export async function openResponse(url: string, position: number, settings: ResolvedDownloadSettings): Promise<OpenedResponse> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await get(current, position, settings);
    const { statusCode: status = 0, headers } = response;
    const location = headers.location;
    if (status >= 300 && status < 400 && location !== undefined && redirects < MAX_REDIRECTS) {
      response.destroy();
      current = new URL(location, current).toString();
      continue;
    }
    const lengthHeader = headers['content-length'];
    const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
    if (status === 206) return { kind: 'body', stream: response, start: contentRangeStart(headers['content-range']) ?? position, contentLength };
    if (status === 200) return { kind: 'body', stream: response, start: 0, contentLength };
    response.destroy();
    if (status === 403 || status === 410) return { kind: 'expired', status };
    if (status === 429 || status === 408 || status >= 500) return { kind: 'transient', status, headers };
    return { kind: 'failed', status };
  }
}

/** One GET; resolves with the response (its body not read yet), rejects when none arrives. */
function get(url: string, position: number, settings: ResolvedDownloadSettings): Promise<IncomingMessage> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      headers: { range: `bytes=${position}-`, accept: '*/*' },
      ...(settings.dnsLookup ? { lookup: settings.dnsLookup } : {}),
    });
    // Idle socket (no answer, or a body that stalls): the request and its body end with ETIMEDOUT.
    req.setTimeout(settings.idleTimeoutMs, () => req.destroy(timeoutError(`no data for ${settings.idleTimeoutMs} ms`)));
    req.once('socket', (socket) => {
      if (!socket.connecting) return; // a kept-alive connection
      const connectTimer = setTimeout(() => req.destroy(timeoutError('connecting took too long')), CONNECT_TIMEOUT_MS);
      const connected = (): void => clearTimeout(connectTimer);
      socket.once(url.startsWith('https:') ? 'secureConnect' : 'connect', connected);
      socket.once('close', connected);
    });
    req.once('error', reject);
    req.once('response', (response) => {
      req.off('error', reject);
      // Errors after the answer (a reset mid-body) reach the body stream, which the caller reads.
      req.on('error', (error) => response.destroy(error));
      resolve(response);
    });
    req.end();
  });
}

/** The first bytes of a body, then the stream is discarded. */
export async function readHead(stream: IncomingMessage, limit = 64): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= limit) break;
    }
  } catch {
    // what arrived is enough to tell an error page
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, limit);
}

/** CDN error pages come with 200 and an HTML or JSON body (kei). */
export function looksLikeErrorPage(head: Buffer): boolean {
  const text = head.toString('latin1').trimStart().toLowerCase();
  return text.startsWith('<') || text.startsWith('{') || text.startsWith('[');
}
