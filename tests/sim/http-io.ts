import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !(name in cookies)) cookies[name] = part.slice(eq + 1).trim();
  }
  return cookies;
}

/** JSON parse that answers undefined instead of throwing: bad bodies are refused by the caller. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json;charset=UTF-8'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html;charset=UTF-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

export interface CookieSpec {
  name: string;
  value: string;
  /** Omitted: a host-only cookie. */
  domain?: string;
  expires?: Date;
  httpOnly?: boolean;
}

/**
 * Apple sends every cookie with `Secure`; the simulator serves plain http, where a client's jar
 * would drop Secure cookies, so it leaves the flag off.
 */
function serializeCookie(spec: CookieSpec): string {
  const parts = [`${spec.name}=${spec.value}`, 'Path=/'];
  if (spec.domain) parts.push(`Domain=${spec.domain}`);
  if (spec.expires) parts.push(`Expires=${spec.expires.toUTCString()}`);
  if (spec.httpOnly !== false) parts.push('HttpOnly');
  return parts.join('; ');
}

export function appendSetCookie(res: ServerResponse, cookies: CookieSpec[]): void {
  const existing = res.getHeader('Set-Cookie');
  const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [String(existing)];
  res.setHeader('Set-Cookie', [...list, ...cookies.map(serializeCookie)]);
}
