import { Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import got, { RequestError, type Got } from 'got';
import type { CookieJar } from 'tough-cookie';
import { ICloudError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import type { SessionState } from './session/session-state.js';
import { parseJsonOrUndefined } from './json.js';

export type RequestRole = 'auth' | 'setup' | 'ckdatabase';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  role: RequestRole;
  headers?: Record<string, string>;
  /** Sent as is; JSON bodies are serialised by the caller so `null` stays `null`. */
  body?: string;
  searchParams?: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON whatever the content type (idmsa sends JSON as text/html), else undefined. */
  json: unknown;
}

export interface AppleHttpOptions {
  cookieJar: CookieJar;
  session: SessionState;
  /** Only tests pass this (the simulator's lookup); production uses the system resolver. */
  dnsLookup?: LookupFunction;
  /** Total time for one request, ms. */
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * HTTP to Apple: one got instance, one persistent cookie jar, keep-alive agents, no automatic
 * retries (callers decide, because retrying sign-in makes Apple's lockouts longer).
 * Logs method, host, path, status and time only: never headers, cookies, bodies or query strings.
 */
export class AppleHttp {
  readonly cookieJar: CookieJar;
  private readonly session: SessionState;
  private readonly got: Got;
  private readonly logger: Logger;
  private readonly agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  constructor(options: AppleHttpOptions) {
    this.cookieJar = options.cookieJar;
    this.session = options.session;
    this.logger = options.logger ?? silentLogger;
    this.got = got.extend({
      cookieJar: options.cookieJar,
      ...(options.dnsLookup ? { dnsLookup: options.dnsLookup } : {}),
      agent: this.agents,
      timeout: { connect: 15_000, request: options.timeoutMs ?? 60_000 },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
    });
  }

  /** Closes idle keep-alive connections (at the end of a run). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async request(request: HttpRequest): Promise<HttpAnswer> {
    const started = Date.now();
    const url = new URL(request.url);
    const where = { method: request.method, host: url.host, path: url.pathname, role: request.role };
    try {
      const response = await this.got(request.url, {
        method: request.method,
        headers: request.headers ?? {},
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(request.searchParams ? { searchParams: request.searchParams } : {}),
      });
      if (request.role !== 'ckdatabase') this.session.capture(response.headers);
      this.logger.debug({ ...where, status: response.statusCode, ms: Date.now() - started }, 'icloud http');
      return { status: response.statusCode, headers: response.headers, text: response.body, json: parseJsonOrUndefined(response.body) };
    } catch (error) {
      const code = error instanceof RequestError ? error.code : undefined;
      this.logger.warn({ ...where, errorCode: code, ms: Date.now() - started }, 'icloud http failed');
      throw new ICloudError('NETWORK', {
        detail: `${request.method} ${url.host}${url.pathname}: ${code ?? 'request failed'}`,
        cause: { name: error instanceof Error ? error.name : 'Error', ...(code ? { code } : {}) },
      });
    }
  }
}

/** Seconds or HTTP date in Retry-After, as a Date; undefined when absent or unreadable. */
export function retryAfterDate(headers: IncomingHttpHeaders, now = Date.now()): Date | undefined {
  const raw = headers['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return new Date(now + seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : new Date(date);
}
