import type { ErrorCode } from '../../../src-shared/errors.js';
import { ICloudError, throttledError } from '../errors.js';
import { retryAfterDate, type HttpAnswer } from '../http.js';
import { firstValue } from '../session/session-state.js';
import { serviceErrorCodes } from '../responses/auth-responses.js';

const LOCKED = '-20209';
const WRONG_PASSWORD = '-20101';

/** The real status of an idmsa answer: Apple sometimes says 200 and puts it in X-Apple-I-Rscd. */
export function realStatus(answer: HttpAnswer): number {
  const rscd = Number(firstValue(answer.headers['x-apple-i-rscd']));
  if (answer.status === 200 && Number.isInteger(rscd) && rscd >= 400) return rscd;
  return answer.status;
}

export function isThrottled(answer: HttpAnswer): boolean {
  const status = realStatus(answer);
  return status === 503 || status === 429;
}

export function appleCodes(answer: HttpAnswer): string[] {
  const ercd = firstValue(answer.headers['x-apple-i-ercd']);
  return [...serviceErrorCodes(answer.json), ...(ercd ? [ercd] : [])];
}

/** signin/complete's answer to a proof that does not match: the password (or the Apple ID) is wrong. */
export function isWrongPassword(complete: HttpAnswer): boolean {
  return signInError(complete, 'signin/complete').code === 'WRONG_PASSWORD';
}

/** A sign-in answer (init or complete) that is not a success, as the error the user sees. */
export function signInError(answer: HttpAnswer, step: string): ICloudError {
  const status = realStatus(answer);
  const codes = appleCodes(answer);
  const detail = `${step} answered ${status}${codes.length ? ` (${codes.join(',')})` : ''}`;
  const cause = { name: 'AppleAnswer', status };
  const make = (code: ErrorCode): ICloudError => new ICloudError(code, { detail, cause });
  if (codes.includes(LOCKED)) return make('ACCOUNT_LOCKED');
  if (status === 503 || status === 429) return throttledError({ detail, cause }, retryAfterDate(answer.headers));
  // 401 at init means a stale auth context, not the password (kei); only complete judges it.
  if (status === 401 && (step === 'signin/complete' || codes.includes(WRONG_PASSWORD))) return make('WRONG_PASSWORD');
  // A stale context is Apple's side of the conversation, and the next sign-in starts a new one.
  if (status === 401) return make('APPLE_SERVER_ERROR');
  // 403: seen for rate limits and routing problems; do not blame the password (spec 1.6).
  if (status === 403) return throttledError({ detail, cause }, undefined);
  if (status >= 500) return make('APPLE_SERVER_ERROR');
  return make('PROTOCOL_CHANGED');
}
