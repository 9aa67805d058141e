import type { SerializedCookieJar } from 'tough-cookie';

/**
 * When Apple will ask for a code again, read from the cookie expiries.
 *
 * We rely on `X-APPLE-WEBAUTH-HSA-TRUST`: it is the cookie that marks a trusted browser (set by
 * accountLogin only after 2FA + trust), so its Expires is the trust's own end. When it is absent
 * we fall back to `X_APPLE_WEB_KB-<hash>` (~60 days in recorded traffic, issued with trust).
 * `X-APPLE-WEBAUTH-USER` is not used: it names the web session and is re-issued ~30 days out on
 * every accountLogin, so it says nothing about trust.
 */
export const TRUST_COOKIE = 'X-APPLE-WEBAUTH-HSA-TRUST';
export const TRUST_FALLBACK_PREFIX = 'X_APPLE_WEB_KB-';

export function trustExpiryFromCookies(serialized: SerializedCookieJar): Date | undefined {
  const expiries = (name: (cookieName: string) => boolean): number[] =>
    serialized.cookies
      .filter((cookie) => typeof cookie.key === 'string' && name(cookie.key))
      .map((cookie) => (typeof cookie.expires === 'string' ? Date.parse(cookie.expires) : NaN))
      .filter((time) => Number.isFinite(time));
  const primary = expiries((key) => key === TRUST_COOKIE);
  const chosen = primary.length ? primary : expiries((key) => key.startsWith(TRUST_FALLBACK_PREFIX));
  return chosen.length ? new Date(Math.max(...chosen)) : undefined;
}
