import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { appendSetCookie, parseJson, sendJson } from '../http-io.js';
import { toBigInt, toBytes } from '../srp-math.js';
import { createVerifierRecord, SrpRejected, startExchange, verifyClientProofs } from '../srp-server.js';
import { requireWidgetKey, writeConversationHeaders } from './auth-headers.js';
import { SIM_ERROR, sendLocked, sendServiceError, sendThrottled, sendWrongPassword } from './apple-errors.js';
import { opaqueToken } from './auth-store.js';
import { repairDueAt, sendRepairNeeded } from './repair-routes.js';

const InitBody = z.object({
  a: z.string().min(1),
  accountName: z.string().min(1),
  protocols: z.array(z.string()).min(1),
});

const CompleteBody = z.object({
  accountName: z.string().min(1),
  m1: z.string().min(1),
  m2: z.string().min(1),
  c: z.string().min(1),
  rememberMe: z.boolean().optional(),
  trustTokens: z.array(z.string()).optional(),
});

function refuseIfThrottled(res: ServerResponse, core: SimCore): boolean {
  const throttled = core.conditions().throttled;
  if (throttled === false) return false;
  sendThrottled(res, throttled.retryAfterSeconds);
  return true;
}

function isKnownAccount(core: SimCore, accountName: string): boolean {
  return accountName.toLowerCase() === core.account.appleId.toLowerCase();
}

/** The 409 body of an account protected by FIDO security keys (spec 1.6); the simulator takes no assertion. */
function securityKeyChallenge(): Record<string, unknown> {
  return {
    authType: 'hsa2',
    fsaChallenge: { challenge: randomBytes(32).toString('base64url'), keyHandles: [randomBytes(64).toString('base64url')], rpId: 'apple.com' },
    keyNames: ['Simulated Security Key'],
  };
}

/** POST signin/init: SRP step 1. Unknown accounts get a decoy verifier so init reveals nothing. */
export function handleSigninInit(req: SimRequest, res: ServerResponse, core: SimCore): void {
  if (!requireWidgetKey(req, res) || refuseIfThrottled(res, core)) return;
  const body = InitBody.safeParse(parseJson(req.body));
  if (!body.success) {
    sendServiceError(res, 400, SIM_ERROR.badRequest, 'signin/init needs a, accountName and protocols.');
    return;
  }
  const { srp } = core.account;
  if (!body.data.protocols.includes(srp.protocol)) {
    sendServiceError(res, 400, SIM_ERROR.badRequest, `The client does not offer protocol ${srp.protocol}.`);
    return;
  }
  const record = isKnownAccount(core, body.data.accountName)
    ? srp
    : createVerifierRecord(randomBytes(16).toString('hex'), randomBytes(16), srp.iterations, srp.protocol);
  let exchange;
  try {
    exchange = startExchange(record, body.data.accountName, toBigInt(Buffer.from(body.data.a, 'base64')));
  } catch (err) {
    if (!(err instanceof SrpRejected)) throw err;
    sendServiceError(res, 400, SIM_ERROR.badRequest, 'Invalid SRP value a.');
    return;
  }
  const conversation = core.auth.newConversation();
  const c = core.auth.addChallenge(exchange, body.data.accountName, conversation);
  writeConversationHeaders(res, core, conversation);
  appendSetCookie(res, [{ name: 'aasp', value: opaqueToken('', 32) }]);
  // Recorded traffic labels this JSON answer text/html; clients must parse it whatever the type.
  sendJson(
    res,
    200,
    { iteration: srp.iterations, salt: srp.salt.toString('base64'), protocol: srp.protocol, b: toBytes(exchange.B).toString('base64'), c },
    'text/html;charset=UTF-8',
  );
}

/** POST signin/complete: SRP step 2, then 200 (trusted), 409 (two-factor) or an error. */
export function handleSigninComplete(req: SimRequest, res: ServerResponse, core: SimCore): void {
  if (!requireWidgetKey(req, res) || refuseIfThrottled(res, core)) return;
  const body = CompleteBody.safeParse(parseJson(req.body));
  if (!body.success) {
    sendServiceError(res, 400, SIM_ERROR.badRequest, 'signin/complete needs accountName, m1, m2 and c.');
    return;
  }
  const challenge = core.auth.takeChallenge(body.data.c);
  if (core.conditions().locked) {
    sendLocked(res);
    return;
  }
  const proofsOk =
    challenge !== undefined &&
    challenge.accountName === body.data.accountName &&
    isKnownAccount(core, body.data.accountName) &&
    verifyClientProofs(challenge.exchange, Buffer.from(body.data.m1, 'base64'), Buffer.from(body.data.m2, 'base64'));
  if (!challenge || !proofsOk) {
    sendWrongPassword(res);
    return;
  }
  const { conversation } = challenge;
  conversation.passwordVerified = true;
  core.auth.rotateSessionId(conversation);
  const trustExpiry = (body.data.trustTokens ?? [])
    .map((token) => core.auth.trustTokenExpiry(token))
    .find((expiry) => expiry !== undefined);
  const conditions = core.conditions();
  if (conditions.legacyTwoStep) {
    // 2SA is finished on the setup host, not here: idmsa lets the password through and accountLogin
    // then owes the legacy challenge (hsaVersion 1). The authType string is not recorded (spec 1.6).
    conversation.secondFactorDone = false;
  } else if ((core.account.mfa === 'none' && !conditions.securityKeys) || trustExpiry !== undefined) {
    conversation.secondFactorDone = true;
    conversation.trusted = true;
    conversation.trustExpiresAt = trustExpiry ?? core.now() + core.options.trustTtlMs;
  }
  if (repairDueAt(core, 'signin')) {
    sendRepairNeeded(res, core, conversation, false);
    return;
  }
  core.auth.issueSessionToken(conversation, core.options.sessionTtlMs);
  writeConversationHeaders(res, core, conversation);
  res.setHeader('Location', '/auth');
  if (conditions.legacyTwoStep) sendJson(res, 200, { authType: 'sa' });
  else if (conversation.trusted) sendJson(res, 200, { authType: 'hsa2' });
  else sendJson(res, 409, conditions.securityKeys ? securityKeyChallenge() : { authType: 'hsa2' });
}
