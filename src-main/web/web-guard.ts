/**
 * Who may use the local page: the start token is exchanged once per browser for a session cookie,
 * the Host header must name this server (DNS rebinding), and state-changing requests must come
 * from this origin with the custom header (a cross-site form can send neither).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'ips_session';
/** Sent by the page's own bridge on every POST; a plain HTML form cannot add headers. */
export const CSRF_HEADER = 'x-icloud-photo-sync';
export const CSRF_HEADER_VALUE = '1';

export type Refusal =
  | 'foreign-host'
  | 'no-session'
  | 'session-expired'
  | 'bad-token'
  | 'link-used'
  | 'foreign-origin'
  | 'missing-header'
  | 'code-rate-limited'
  | 'code-attempts-exhausted'
  | 'body-too-large'
  | 'not-found'
  | 'bad-request';

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The start token and the sessions it opened; only hashes are kept. */
export class Sessions {
  private readonly tokenHash: Buffer;
  /** Session hash (hex) -> last use (ms). */
  private readonly lastUse = new Map<string, number>();

  constructor(
    readonly token: string,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenHash = digest(token);
  }

  tokenMatches(given: string): boolean {
    return sameSecret(given, this.tokenHash);
  }

  /** A new session id for a browser that showed the token. */
  open(): string {
    const id = newSecret();
    this.lastUse.set(digest(id).toString('hex'), this.now());
    return id;
  }

  /** 'ok' (and the session's idle clock restarts), or why not. */
  check(id: string | undefined): 'ok' | 'no-session' | 'session-expired' {
    if (!id) return 'no-session';
    const key = digest(id).toString('hex');
    const last = this.lastUse.get(key);
    if (last === undefined) return 'no-session';
    if (this.now() - last > this.idleMs) {
      this.lastUse.delete(key);
      return 'session-expired';
    }
    this.lastUse.set(key, this.now());
    return 'ok';
  }
}

export function cookieValue(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Host values this server answers to: loopback names and the bound address, each with the port. */
export function allowedHosts(bindAddress: string, port: number, publicUrl: string | null = null): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  names.add(bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress);
  const hosts = new Set([...names].map((name) => `${name}:${port}`.toLowerCase()));
  // The address notifications link to (a reverse proxy or a LAN name), with its own port if any.
  if (publicUrl) hosts.add(new URL(publicUrl).host.toLowerCase());
  return hosts;
}

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address);
}

/**
 * Why a state-changing request is refused, or null when it came from the page itself (opened on
 * its own address, or on the public URL notifications link to, which may be https behind a proxy).
 */
export function stateChangeRefusal(request: IncomingMessage, host: string, publicOrigin: string | null = null): Refusal | null {
  const origin = request.headers.origin;
  if (origin !== `http://${host}` && (publicOrigin === null || origin !== publicOrigin)) return 'foreign-origin';
  if (request.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) return 'missing-header';
  return null;
}
