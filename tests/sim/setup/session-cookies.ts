import { createHash } from 'node:crypto';
import type { CookieSpec } from '../http-io.js';
import { opaqueToken } from '../auth/auth-store.js';
import { SIM_WEB_COOKIE_DOMAIN } from '../types.js';
import { COOKIE, tokenCookieValue, type WebSession } from './web-sessions.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const domain = SIM_WEB_COOKIE_DOMAIN;

/** X_APPLE_WEB_KB-<hash>: the hash names the account, so it is stable per Apple ID. */
function webKbCookieName(appleId: string): string {
  return `X_APPLE_WEB_KB-${createHash('md5').update(appleId.toLowerCase()).digest('hex').toUpperCase()}`;
}

export interface LoginCookieInput {
  dsid: string;
  appleId: string;
  now: number;
  /** Undefined before the second factor: only the HSA-LOGIN marker is set. */
  session?: WebSession;
  extendedLogin: boolean;
}

/**
 * The cookies of spec 3.4, all on `.icloud.test` so they reach the ckdatabasews host. The user
 * cookie lives ~30 days; the trust cookies expire when trust does, so a client can tell the user
 * when re-authentication is due. The token cookie persists only with extended_login.
 */
export function loginCookies(input: LoginCookieInput): CookieSpec[] {
  const { session } = input;
  const cookies: CookieSpec[] = [
    { name: COOKIE.user, value: `"v=1:s=1:d=${input.dsid}"`, domain, expires: new Date(input.now + 30 * DAY_MS) },
    { name: 'X-APPLE-WEBAUTH-LOGIN', value: `"v=1:t=${opaqueToken('', 16)}~~"`, domain },
    { name: 'X-APPLE-WEBAUTH-VALIDATE', value: `"v=1:t=${opaqueToken('', 16)}~~"`, domain, httpOnly: false },
    { name: 'X-APPLE-UNIQUE-CLIENT-ID', value: `"${opaqueToken('', 12)}"`, domain, httpOnly: false },
  ];
  if (!session) {
    cookies.push({ name: 'X-APPLE-WEBAUTH-HSA-LOGIN', value: `"v=2:t=${opaqueToken('', 16)}~~"`, domain });
    return cookies;
  }
  cookies.push({
    name: COOKIE.token,
    value: tokenCookieValue(session.id),
    domain,
    expires: input.extendedLogin ? new Date(session.expiresAt) : undefined,
  });
  cookies.push({ name: 'X-APPLE-DS-WEB-SESSION-TOKEN', value: `"${opaqueToken('', 24)}"`, domain });
  if (session.trusted && session.trustExpiresAt !== undefined) {
    const trustEnds = new Date(session.trustExpiresAt);
    cookies.push({ name: 'X-APPLE-WEBAUTH-HSA-TRUST', value: `"v=2:t=${opaqueToken('', 24)}~~"`, domain, expires: trustEnds });
    cookies.push({ name: webKbCookieName(input.appleId), value: `"v=1:t=${opaqueToken('', 24)}~~"`, domain, expires: trustEnds });
  }
  return cookies;
}

/** Expired copies of the session cookies, sent by logout. */
export function clearedCookies(): CookieSpec[] {
  const names = [
    COOKIE.user, COOKIE.token, 'X-APPLE-WEBAUTH-LOGIN', 'X-APPLE-WEBAUTH-VALIDATE', 'X-APPLE-DS-WEB-SESSION-TOKEN',
    'X-APPLE-WEBAUTH-HSA-LOGIN', COOKIE.pcsPhotos, COOKIE.pcsSharing,
  ];
  return names.map((name) => ({ name, value: '""', domain, expires: new Date(1000) }));
}

export function pcsCookies(now: number): CookieSpec[] {
  const expires = new Date(now + DAY_MS);
  return [
    { name: COOKIE.pcsPhotos, value: `"v=1:t=${opaqueToken('', 24)}"`, domain, expires },
    { name: COOKIE.pcsSharing, value: `"v=1:t=${opaqueToken('', 24)}"`, domain, expires },
  ];
}
