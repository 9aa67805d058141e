import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimLibrary, SimResource } from '../library/index.js';

/**
 * Pre-signed download URLs in Apple's shape:
 *   {content}/B/<fileChecksum><referenceChecksum, base64url>/${f}?o=..&v=1&x=3&a=..&e=<unix s>&k=..
 *     &fl=&r=..&ckc=com.apple.photos.cloud&ckz=<zone>&y=1&p=42&s=<signature>
 * The signature covers the path id, the expiry and the zone, keyed per library and process.
 */

export const PHOTOS_CONTAINER = 'com.apple.photos.cloud';
const CHECKSUM_LENGTH = 28;

const signingKeys = new WeakMap<SimLibrary, Buffer>();
/** Keys of links handed out before expireDownloadUrls(): they answer "Expired URL", whatever their `e`. */
const retiredKeys = new WeakMap<SimLibrary, Buffer[]>();

function signingKey(library: SimLibrary): Buffer {
  let key = signingKeys.get(library);
  if (!key) {
    key = randomBytes(32);
    signingKeys.set(library, key);
  }
  return key;
}

/**
 * Every link handed out so far expires now (a new signing key for the links to come). Lets a test
 * expire links between a listing and a later download without waiting for their lifetime.
 */
export function expireDownloadUrls(library: SimLibrary): void {
  retiredKeys.set(library, [...(retiredKeys.get(library) ?? []), signingKey(library)]);
  signingKeys.set(library, randomBytes(32));
}

const toUrlSafe = (base64: string): string => base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromUrlSafe = (text: string): string => text.replace(/-/g, '+').replace(/_/g, '/');

function sign(library: SimLibrary, purpose: string, ...parts: string[]): string {
  return signWith(signingKey(library), purpose, ...parts);
}

function signWith(key: Buffer, purpose: string, ...parts: string[]): string {
  return toUrlSafe(createHmac('sha256', key).update([purpose, ...parts].join('\n')).digest('base64'));
}

/**
 * The `o` and `a` parts depend on the file and the key only: signed once per resource object (the
 * library hands out the same objects until it changes), so a page costs one HMAC per link, not three.
 */
const fileSignatures = new WeakMap<SimResource, { key: Buffer; o: string; a: string }>();

function fileSignaturesOf(library: SimLibrary, resource: SimResource, pathId: string): { o: string; a: string } {
  const key = signingKey(library);
  let signed = fileSignatures.get(resource);
  if (signed?.key !== key) {
    signed = { key, o: signWith(key, 'o', pathId).slice(0, 22), a: signWith(key, 'a', pathId).slice(0, 14) };
    fileSignatures.set(resource, signed);
  }
  return signed;
}

function sameText(given: Buffer, expected: string): boolean {
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function downloadUrl(
  library: SimLibrary,
  base: string,
  resource: SimResource,
  zoneName: string,
  expiresAtMs: number,
  recordName: string,
): string {
  const pathId = toUrlSafe(resource.fileChecksum) + toUrlSafe(resource.referenceChecksum);
  const expiry = String(Math.ceil(expiresAtMs / 1000));
  const { o, a } = fileSignaturesOf(library, resource, pathId);
  const query = [
    `o=${o}`,
    'v=1',
    'x=3',
    `a=${a}`,
    `e=${expiry}`,
    `k=${toUrlSafe(resource.wrappingKey)}`,
    'fl=',
    `r=${recordName.toLowerCase()}-1`,
    `ckc=${PHOTOS_CONTAINER}`,
    `ckz=${encodeURIComponent(zoneName)}`,
    'y=1',
    'p=42',
    `s=${sign(library, 's', pathId, expiry, zoneName).slice(0, 27)}`,
  ];
  return `${base}/B/${pathId}/\${f}?${query.join('&')}`;
}

export type UrlCheck =
  | { ok: true; fileChecksum: string }
  | { ok: false; status: number; reason: string };

/** Checks path and query of a download request against the signature and the expiry. */
export function checkDownloadUrl(library: SimLibrary, path: string, query: URLSearchParams, nowMs: number): UrlCheck {
  const match = /^\/B\/([A-Za-z0-9_-]{56})\/[^/]*$/.exec(path);
  if (!match?.[1]) return { ok: false, status: 404, reason: 'Not Found' };
  const pathId = match[1];
  const expiry = query.get('e') ?? '';
  const zoneName = query.get('ckz') ?? '';
  const given = Buffer.from(query.get('s') ?? '');
  const signedBy = (key: Buffer) => sameText(given, signWith(key, 's', pathId, expiry, zoneName).slice(0, 27));
  if (query.get('ckc') !== PHOTOS_CONTAINER) return { ok: false, status: 403, reason: 'Invalid signature' };
  if (!signedBy(signingKey(library))) {
    const retired = (retiredKeys.get(library) ?? []).some(signedBy);
    return { ok: false, status: 403, reason: retired ? 'Expired URL' : 'Invalid signature' };
  }
  if (!/^\d+$/.test(expiry) || Number(expiry) * 1000 <= nowMs) return { ok: false, status: 403, reason: 'Expired URL' };
  return { ok: true, fileChecksum: fromUrlSafe(pathId.slice(0, CHECKSUM_LENGTH)) };
}
