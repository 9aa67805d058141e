import type { ServerResponse } from 'node:http';
import type { SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { opaqueToken, type Conversation } from './auth-store.js';
import { SIM_ERROR, sendServiceError } from './apple-errors.js';

/** The iCloud.com web client id every client sends (spec 1.2). */
export const WIDGET_KEY = 'd39ba9916b7251055b22c7f910e2ea796ee65e98b2ddecea8f5dde8d9d1a815d';

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Every idmsa call needs the widget key; Apple refuses unknown web clients. */
export function requireWidgetKey(req: SimRequest, res: ServerResponse): boolean {
  if (header(req, 'X-Apple-Widget-Key') === WIDGET_KEY) return true;
  sendServiceError(res, 400, SIM_ERROR.missingHeader, 'X-Apple-Widget-Key is missing or not the iCloud web client id.');
  return false;
}

/**
 * 2FA and trust calls must carry the current scnt and the conversation id (or, as some clients do,
 * the session token) in X-Apple-ID-Session-Id; a stale scnt is refused like a missing one.
 */
export function requireConversation(req: SimRequest, res: ServerResponse, core: SimCore): Conversation | undefined {
  if (!requireWidgetKey(req, res)) return undefined;
  const sessionId = header(req, 'X-Apple-ID-Session-Id');
  const scnt = header(req, 'scnt');
  if (!sessionId || !scnt) {
    sendServiceError(res, 401, SIM_ERROR.missingHeader, 'scnt and X-Apple-ID-Session-Id are required on this call.');
    return undefined;
  }
  const conversation = core.auth.findConversation(sessionId, scnt);
  if (!conversation || !conversation.passwordVerified) {
    sendServiceError(res, 401, SIM_ERROR.staleConversation, 'Unknown sign-in session or stale scnt: sign in again.');
    return undefined;
  }
  return conversation;
}

/** Rotates scnt and sends the conversation headers Apple sends on idmsa answers (spec 1.3, 1.6). */
export function writeConversationHeaders(res: ServerResponse, core: SimCore, conversation: Conversation): void {
  conversation.scnt = opaqueToken('AAAA-', 48);
  res.setHeader('scnt', conversation.scnt);
  res.setHeader('X-Apple-ID-Session-Id', conversation.sessionId);
  res.setHeader('X-Apple-ID-Account-Country', core.account.country);
  res.setHeader('X-Apple-Auth-Attributes', opaqueToken('', 24));
  res.setHeader('X-Apple-TwoSV-Trust-Eligible', 'true');
  if (conversation.sessionToken) res.setHeader('X-Apple-Session-Token', conversation.sessionToken);
}
