import type { IncomingHttpHeaders } from 'node:http';
import got, { type Request } from 'got';
import type { ResolvedDownloadSettings } from './download-settings.js';

/** One GET of a pre-signed URL from a byte position, classified. */
export type OpenedResponse =
  /** Body bytes from `start` (206 from where we asked, or 200 from 0 when Range was ignored). */
  | { kind: 'body'; stream: Request; start: number; contentLength: number | undefined }
  /** 403/410: the URL has expired. */
  | { kind: 'expired'; status: number }
  /** 429/5xx: try again later. */
  | { kind: 'transient'; status: number; headers: IncomingHttpHeaders }
  | { kind: 'failed'; status: number };

function contentRangeStart(header: string | undefined): number | undefined {
  const match = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(header ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * A cookie-less GET (the URL is pre-signed; iCloud's cookies must not travel to the content
 * host), always with `Range: bytes=<position>-` as icloudpd does, no decompression (byte counts
 * must match Apple's size) and no got retries (the caller resumes instead of restarting).
 * Connections are reused between downloads: got uses Node's global agent, which keeps them alive
 * (Node 19 and later). Rejects on network errors.
 */
export function openResponse(url: string, position: number, settings: ResolvedDownloadSettings): Promise<OpenedResponse> {
  const stream = got.stream(url, {
    headers: { range: `bytes=${position}-`, accept: '*/*' },
    decompress: false,
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: true,
    timeout: { lookup: 15_000, connect: 15_000, secureConnect: 15_000, response: settings.idleTimeoutMs, socket: settings.idleTimeoutMs },
    ...(settings.dnsLookup ? { dnsLookup: settings.dnsLookup } : {}),
  });
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('response', (response: { statusCode: number; headers: IncomingHttpHeaders }) => {
      stream.off('error', reject);
      const { statusCode: status, headers } = response;
      const lengthHeader = headers['content-length'];
      const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
      if (status === 206) {
        const start = contentRangeStart(headers['content-range']) ?? position;
        resolve({ kind: 'body', stream, start, contentLength });
        return;
      }
      if (status === 200) {
        resolve({ kind: 'body', stream, start: 0, contentLength });
        return;
      }
      stream.destroy();
      if (status === 403 || status === 410) resolve({ kind: 'expired', status });
      else if (status === 429 || status === 408 || status >= 500) resolve({ kind: 'transient', status, headers });
      else resolve({ kind: 'failed', status });
    });
  });
}

/** The first bytes of a body, then the stream is discarded. */
export async function readHead(stream: Request, limit = 64): Promise<Buffer> {
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
