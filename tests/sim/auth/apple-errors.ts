import type { ServerResponse } from 'node:http';
import { sendHtml, sendJson } from '../http-io.js';

/**
 * Error answers of idmsa. The codes -20101, -20209 and -21669 are Apple's; every code starting
 * with `SIM_` is simulator-defined because no recorded Apple answer exists (see README).
 */
export const SIM_ERROR = {
  missingHeader: 'SIM_MISSING_REQUIRED_HEADER',
  staleConversation: 'SIM_UNKNOWN_OR_STALE_SESSION',
  codeLocked: 'SIM_SECURITY_CODE_LOCKED',
  noTrustedDevices: 'SIM_NO_TRUSTED_DEVICES',
  unknownPhone: 'SIM_UNKNOWN_PHONE',
  notVerified: 'SIM_SECOND_FACTOR_MISSING',
  badRequest: 'SIM_BAD_REQUEST',
  securityKeyRequired: 'SIM_SECURITY_KEY_REQUIRED',
  repairRefused: 'SIM_REPAIR_REFUSED',
  nothingToRepair: 'SIM_NOTHING_TO_REPAIR',
} as const;

export function sendServiceError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res.setHeader('X-Apple-I-Ercd', code);
  sendJson(res, status, { serviceErrors: [{ code, message, suppressDismissal: false }], ...extra });
}

/** The 2FA endpoints answer with the `service_errors` spelling and a title (recorded fixture). */
export function sendCodeError(res: ServerResponse, code: string, title: string, message: string, extra: Record<string, unknown> = {}): void {
  res.setHeader('X-Apple-I-Ercd', code);
  sendJson(res, 400, { service_errors: [{ code, title, message, suppressDismissal: false }], hasError: true, ...extra });
}

export function sendWrongPassword(res: ServerResponse): void {
  sendServiceError(res, 401, '-20101', 'Your Apple Account or password was incorrect.');
}

export function sendLocked(res: ServerResponse): void {
  sendServiceError(
    res,
    401,
    '-20209',
    'This Apple Account has been locked for security reasons. Visit iForgot to reset your account (https://iforgot.apple.com).',
  );
}

/** 429 with Retry-After: Apple's rate limit (spec 1.5, 6). */
export function sendRateLimited(res: ServerResponse, retryAfterSeconds: number): void {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  sendHtml(res, 429, '<!DOCTYPE html><html><body><h1>Too Many Requests</h1></body></html>');
}

export function sendThrottled(res: ServerResponse, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
  sendHtml(
    res,
    503,
    '<!DOCTYPE html><html><head><title>Service Temporarily Unavailable</title></head>' +
      '<body><h1>Service Temporarily Unavailable</h1></body></html>',
  );
}
