import type { SimRequest, WebSessionCheck } from '../types.js';
import { opaqueToken } from '../auth/auth-store.js';

export const COOKIE = {
  user: 'X-APPLE-WEBAUTH-USER',
  token: 'X-APPLE-WEBAUTH-TOKEN',
  pcsPhotos: 'X-APPLE-WEBAUTH-PCS-Photos',
  pcsSharing: 'X-APPLE-WEBAUTH-PCS-Sharing',
} as const;

/** One iCloud web session, opened by accountLogin and named by the X-APPLE-WEBAUTH-TOKEN cookie. */
export interface WebSession {
  id: string;
  dsid: string;
  trusted: boolean;
  trustExpiresAt?: number;
  expiresAt: number;
  /** Setup and CloudKit requests made with this session after accountLogin. */
  requests: number;
  ended: boolean;
  pcsGranted: boolean;
}

export type SessionLookup =
  | { ok: true; session: WebSession }
  | { ok: false; reason: 'missing-user' | 'missing-token' | 'unknown' | 'expired' };

export interface WebSessionLimits {
  /** 0 = no request limit. */
  maxRequests(): number;
  /** ACCESS_DENIED-style refusal when ADP needs PCS cookies the session does not have. */
  pcsRequired(): boolean;
}

/** Token cookie values look like Apple's: "v=2:t=<opaque>" in quotes. */
export function tokenCookieValue(id: string): string {
  return `"v=2:t=${id}"`;
}

function sessionIdFromCookie(value: string | undefined): string | undefined {
  const match = /^"?v=2:t=([^"]+)"?$/.exec(value ?? '');
  return match?.[1];
}

export class WebSessionStore implements WebSessionCheck {
  private readonly sessions = new Map<string, WebSession>();

  constructor(
    private readonly now: () => number,
    private readonly limits: WebSessionLimits,
  ) {}

  open(dsid: string, ttlMs: number, trusted: boolean, trustExpiresAt?: number): WebSession {
    const session: WebSession = {
      id: opaqueToken('', 48),
      dsid,
      trusted,
      trustExpiresAt,
      expiresAt: this.now() + ttlMs,
      requests: 0,
      ended: false,
      pcsGranted: false,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  lookup(cookies: Record<string, string>): SessionLookup {
    if (!cookies[COOKIE.user]) return { ok: false, reason: 'missing-user' };
    const id = sessionIdFromCookie(cookies[COOKIE.token]);
    if (!id) return { ok: false, reason: 'missing-token' };
    const session = this.sessions.get(id);
    if (!session) return { ok: false, reason: 'unknown' };
    const limit = this.limits.maxRequests();
    if (session.ended || session.expiresAt <= this.now() || (limit > 0 && session.requests > limit)) {
      session.ended = true;
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, session };
  }

  /** Called by the server core once per setup/CloudKit request, before the route runs. */
  countRequest(cookies: Record<string, string>): void {
    const id = sessionIdFromCookie(cookies[COOKIE.token]);
    const session = id ? this.sessions.get(id) : undefined;
    if (session) session.requests += 1;
  }

  end(session: WebSession): void {
    session.ended = true;
  }

  expireAll(): void {
    for (const session of this.sessions.values()) session.ended = true;
  }

  /** The check the CloudKit routes use: 421 without the user cookie (kei), 401 for a dead session. */
  check(req: SimRequest): { ok: true; dsid: string } | { ok: false; status: number; body: unknown } {
    const found = this.lookup(req.cookies);
    if (!found.ok) {
      if (found.reason === 'missing-user') return { ok: false, status: 421, body: { reason: 'Missing X-APPLE-WEBAUTH-USER cookie', error: 1 } };
      if (found.reason === 'missing-token') return { ok: false, status: 401, body: { reason: 'Missing X-APPLE-WEBAUTH-TOKEN cookie', error: 1 } };
      return { ok: false, status: 401, body: { reason: 'Authentication required for Account.', error: 1 } };
    }
    const dsid = req.query.get('dsid');
    if (dsid !== null && dsid !== found.session.dsid) {
      return { ok: false, status: 401, body: { reason: 'dsid does not match the signed-in account', error: 1 } };
    }
    if (this.limits.pcsRequired() && !(found.session.pcsGranted && req.cookies[COOKIE.pcsPhotos])) {
      return {
        ok: false,
        status: 403,
        body: { uuid: opaqueToken('', 16), serverErrorCode: 'ACCESS_DENIED', reason: 'Missing PCS cookies (Advanced Data Protection): request PCS first' },
      };
    }
    return { ok: true, dsid: found.session.dsid };
  }
}
