import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { appendSetCookie, parseJson, sendJson } from '../http-io.js';
import { accountDocument } from './account-document.js';
import { clearedCookies, loginCookies } from './session-cookies.js';
import type { WebSession } from './web-sessions.js';

const AccountLoginBody = z.object({
  dsWebAuthToken: z.string().min(1),
  trustToken: z.string().optional(),
  accountCountryCode: z.string().optional(),
  extended_login: z.boolean().optional(),
});

/** 421 is what setup answers for a missing, invalid or expired web session (spec 3.1, 3.2). */
function sendSessionRequired(res: ServerResponse, reason: string): void {
  sendJson(res, 421, { success: false, error: `Authentication required for Account. (${reason})` });
}

/** The web session named by the request's cookies, or a 421 answer already sent. */
export function requireWebSession(req: SimRequest, res: ServerResponse, core: SimCore): WebSession | undefined {
  const found = core.web.lookup(req.cookies);
  if (found.ok) return found.session;
  sendSessionRequired(res, found.reason);
  return undefined;
}

/** POST accountLogin: turns an idmsa session token into iCloud web cookies. */
export function handleAccountLogin(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const body = AccountLoginBody.safeParse(parseJson(req.body));
  const grant = body.success ? core.auth.sessionTokenGrant(body.data.dsWebAuthToken) : undefined;
  if (!body.success || !grant) {
    sendSessionRequired(res, 'invalid or expired dsWebAuthToken');
    return;
  }
  const conditions = core.conditions();
  if (conditions.chinaAccount) {
    // Recorded as the whole answer, instead of the usual fields (spec 3.1); the HTTP status is not.
    sendJson(res, 200, { domainToUse: 'iCloud.com.cn' });
    return;
  }
  const now = core.now();
  const extendedLogin = body.data.extended_login === true;
  const base = { dsid: core.account.dsid, appleId: core.account.appleId, now, extendedLogin };
  const bodyTrustExpiry = body.data.trustToken ? core.auth.trustTokenExpiry(body.data.trustToken) : undefined;
  const trustExpiresAt = grant.trusted ? grant.trustExpiresAt : bodyTrustExpiry;
  const trusted = grant.secondFactorDone && trustExpiresAt !== undefined;
  // No web session while a challenge, a repair or new terms are owed: stricter than guessing what Apple allows.
  if (!grant.secondFactorDone || grant.repairPending || conditions.termsUpdateNeeded) {
    appendSetCookie(res, loginCookies(base));
    const state = { hsaTrustedBrowser: trusted, hsaChallengeRequired: !grant.secondFactorDone, extendedLogin, repairNeeded: grant.repairPending };
    sendJson(res, 200, accountDocument(core, state));
    return;
  }
  const session = core.web.open(core.account.dsid, core.options.sessionTtlMs, trusted, trustExpiresAt);
  appendSetCookie(res, loginCookies({ ...base, session }));
  sendJson(res, 200, accountDocument(core, { hsaTrustedBrowser: trusted, hsaChallengeRequired: false, extendedLogin }));
}

/** POST validate (body `null`): the same document, from the cookies alone. */
export function handleValidate(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const session = requireWebSession(req, res, core);
  if (!session) return;
  sendJson(res, 200, accountDocument(core, { hsaTrustedBrowser: session.trusted, hsaChallengeRequired: false, extendedLogin: true }));
}

export function handleLogout(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const session = requireWebSession(req, res, core);
  if (!session) return;
  core.web.end(session);
  appendSetCookie(res, clearedCookies());
  sendJson(res, 200, { success: true });
}
