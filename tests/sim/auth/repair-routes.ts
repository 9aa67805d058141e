import type { ServerResponse } from 'node:http';
import type { SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { sendEmpty, sendJson } from '../http-io.js';
import { requireConversation, writeConversationHeaders } from './auth-headers.js';
import { SIM_ERROR, sendServiceError } from './apple-errors.js';
import { securityCodeState } from './auth-options.js';
import type { Conversation } from './auth-store.js';

/**
 * The 412 "repair" answer (spec 1.6, 2.3): the password (or code) was right but Apple wants the
 * account repaired first. The session token it hands out opens no web session until
 * `repair/complete` succeeds.
 */
export function sendRepairNeeded(res: ServerResponse, core: SimCore, conversation: Conversation, afterCode: boolean): void {
  conversation.repairPending = true;
  core.auth.issueSessionToken(conversation, core.options.sessionTtlMs);
  writeConversationHeaders(res, core, conversation);
  res.setHeader('Location', '/auth');
  // After a code the recorded answer (icloud_photos_downloader#1026) confirms the code was valid.
  const body = afterCode
    ? { trustedDeviceCount: core.account.trustedDeviceCount, securityCode: { ...securityCodeState(conversation), valid: true } }
    : { authType: 'sa' };
  sendJson(res, 412, body);
}

/** Whether this step must answer 412 under the `repair` condition. */
export function repairDueAt(core: SimCore, step: 'signin' | 'verify'): boolean {
  const repair = core.conditions().repair;
  return repair === step || (repair === 'fails' && step === 'signin');
}

/** POST repair/complete `{}`: clears the repair; the account stays repaired for later sign-ins. */
export function handleRepairComplete(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const conversation = requireConversation(req, res, core);
  if (!conversation) return;
  writeConversationHeaders(res, core, conversation);
  if (!conversation.repairPending) {
    sendServiceError(res, 400, SIM_ERROR.nothingToRepair, 'This sign-in has nothing to repair.');
    return;
  }
  if (core.conditions().repair === 'fails') {
    sendServiceError(res, 400, SIM_ERROR.repairRefused, 'Sign in at appleid.apple.com to review your account.');
    return;
  }
  conversation.repairPending = false;
  core.setConditions({ repair: false });
  core.auth.issueSessionToken(conversation, core.options.sessionTtlMs);
  res.setHeader('X-Apple-Session-Token', conversation.sessionToken ?? '');
  sendEmpty(res, 204);
}
