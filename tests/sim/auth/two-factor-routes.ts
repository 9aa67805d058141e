import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { parseJson, sendEmpty, sendHtml, sendJson } from '../http-io.js';
import { requireConversation, writeConversationHeaders } from './auth-headers.js';
import { SIM_ERROR, sendCodeError, sendServiceError } from './apple-errors.js';
import { authOptionsHtml, authOptionsJson, phoneNumberVerification, securityCodeState } from './auth-options.js';
import type { Conversation } from './auth-store.js';
import { repairDueAt, sendRepairNeeded } from './repair-routes.js';

/** A conversation for a code step; security-key accounts get no codes at all (spec 1.6). */
function requireCodeConversation(req: SimRequest, res: ServerResponse, core: SimCore): Conversation | undefined {
  const conversation = requireConversation(req, res, core);
  if (!conversation) return undefined;
  writeConversationHeaders(res, core, conversation);
  if (!core.conditions().securityKeys) return conversation;
  sendServiceError(res, 400, SIM_ERROR.securityKeyRequired, 'This Apple Account signs in with a security key.');
  return undefined;
}

const PhoneChoice = z.object({ phoneNumber: z.object({ id: z.number().int() }), mode: z.enum(['sms', 'voice']).optional() });
const CodeBody = z.object({
  securityCode: z.object({ code: z.string() }),
  phoneNumber: z.object({ id: z.number().int() }).optional(),
});

/** GET {auth}: the auth options, as JSON or as the boot_args HTML page depending on Accept. */
export function handleAuthOptions(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const conversation = requireConversation(req, res, core);
  if (!conversation) return;
  writeConversationHeaders(res, core, conversation);
  const accept = String(req.headers.accept ?? '');
  if (accept.includes('application/json')) sendJson(res, 200, authOptionsJson(core, conversation));
  else sendHtml(res, 200, authOptionsHtml(core, conversation));
}

/** PUT verify/trusteddevice/securitycode (and the older PUT/GET verify/trusteddevice): push a code. */
export function handleDeviceDelivery(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const conversation = requireCodeConversation(req, res, core);
  if (!conversation) return;
  if (core.account.trustedDeviceCount === 0) {
    sendServiceError(res, 400, SIM_ERROR.noTrustedDevices, 'This account has no trusted devices; use a phone number.');
    return;
  }
  conversation.deliveries.push({ channel: 'device' });
  core.deliverCode({ channel: 'device' });
  sendJson(res, 202, {
    trustedDeviceCount: core.account.trustedDeviceCount,
    securityCode: securityCodeState(conversation),
    phoneNumberVerification: phoneNumberVerification(core, conversation),
  });
}

/** PUT verify/phone {phoneNumber:{id}, mode}: text (or call) a code to one trusted phone. */
export function handlePhoneDelivery(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const conversation = requireCodeConversation(req, res, core);
  if (!conversation) return;
  const body = PhoneChoice.safeParse(parseJson(req.body));
  const phone = body.success ? core.account.phones.find((p) => p.id === body.data.phoneNumber.id) : undefined;
  if (!phone) {
    sendServiceError(res, 400, SIM_ERROR.unknownPhone, 'Choose one of the trusted phone numbers by id.');
    return;
  }
  conversation.deliveries.push({ channel: 'sms', phoneId: phone.id });
  core.deliverCode({ channel: 'sms', phoneId: phone.id });
  sendJson(res, 200, phoneNumberVerification(core, conversation, phone));
}

/** Shared code check: right only if a code went out on this channel in this sign-in. */
function checkCode(req: SimRequest, res: ServerResponse, core: SimCore, channel: 'device' | 'sms'): Conversation | undefined {
  const conversation = requireCodeConversation(req, res, core);
  if (!conversation) return undefined;
  const body = CodeBody.safeParse(parseJson(req.body));
  if (!body.success || (channel === 'sms' && !body.data.phoneNumber)) {
    sendServiceError(res, 400, SIM_ERROR.badRequest, 'Send securityCode.code (and phoneNumber.id for a phone code).');
    return undefined;
  }
  if (conversation.codeLocked) {
    sendCodeError(
      res,
      SIM_ERROR.codeLocked,
      'Too Many Verification Codes',
      'You have entered an incorrect verification code too many times. Sign in again later.',
      { securityCode: securityCodeState(conversation) },
    );
    return undefined;
  }
  const phoneId = body.data.phoneNumber?.id;
  const delivered = conversation.deliveries.some((d) => d.channel === channel && (channel === 'device' || d.phoneId === phoneId));
  if (!delivered || body.data.securityCode.code !== core.account.code) {
    conversation.wrongCodes += 1;
    if (conversation.wrongCodes >= core.options.maxCodeAttempts) conversation.codeLocked = true;
    sendCodeError(res, '-21669', 'Incorrect Verification Code', 'Incorrect verification code.');
    return undefined;
  }
  conversation.secondFactorDone = true;
  if (repairDueAt(core, 'verify')) {
    sendRepairNeeded(res, core, conversation, true);
    return undefined;
  }
  core.auth.issueSessionToken(conversation, core.options.sessionTtlMs);
  res.setHeader('X-Apple-Session-Token', conversation.sessionToken ?? '');
  return conversation;
}

export function handleDeviceCode(req: SimRequest, res: ServerResponse, core: SimCore): void {
  if (checkCode(req, res, core, 'device')) sendEmpty(res, 204);
}

export function handlePhoneCode(req: SimRequest, res: ServerResponse, core: SimCore): void {
  if (checkCode(req, res, core, 'sms')) sendJson(res, 200, {});
}

/** GET 2sv/trust: after the second factor, a trust token that lets later sign-ins skip 2FA. */
export function handleTrust(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const conversation = requireConversation(req, res, core);
  if (!conversation) return;
  if (!conversation.secondFactorDone) {
    writeConversationHeaders(res, core, conversation);
    sendServiceError(res, 401, SIM_ERROR.notVerified, 'Verify a security code before trusting this browser.');
    return;
  }
  const trust = core.auth.issueTrustToken(core.options.trustTtlMs);
  conversation.trusted = true;
  conversation.trustExpiresAt = trust.expiresAt;
  core.auth.issueSessionToken(conversation, core.options.sessionTtlMs);
  writeConversationHeaders(res, core, conversation);
  res.setHeader('X-Apple-TwoSV-Trust-Token', trust.token);
  sendEmpty(res, 204);
}
