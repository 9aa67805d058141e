import { ERROR_CATALOGUE, type ErrorCode } from '../../src-shared/errors.js';
import { THROTTLE_DEFAULT_WAIT_MS } from './backoff.js';

export interface ICloudErrorDetails {
  /** Technical detail for logs; never holds a secret. */
  detail?: string;
  /** When the user can try again (throttling, lockouts). */
  retryAfter?: Date;
  /** Verification-code tries left, as the sign-in flow counts them (Apple's answer carries no count). */
  attemptsLeft?: number;
  /** A sanitised cause: never a got error with request headers in it. */
  cause?: { name: string; code?: string; status?: number };
}

/** Every failure of the iCloud client: a stable code plus the user's message for it. */
export class ICloudError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly detail: string | undefined;
  readonly retryAfter: Date | undefined;
  readonly attemptsLeft: number | undefined;
  override readonly cause: ICloudErrorDetails['cause'];

  constructor(code: ErrorCode, details: ICloudErrorDetails = {}) {
    const userMessage = withExtras(ERROR_CATALOGUE[code], details);
    super(details.detail ? `${userMessage} (${details.detail})` : userMessage);
    this.name = 'ICloudError';
    this.code = code;
    this.userMessage = userMessage;
    this.detail = details.detail;
    this.retryAfter = details.retryAfter;
    this.attemptsLeft = details.attemptsLeft;
    this.cause = details.cause;
  }
}

function withExtras(message: string, details: ICloudErrorDetails): string {
  const extras: string[] = [];
  if (details.attemptsLeft !== undefined) {
    extras.push(`${details.attemptsLeft} ${details.attemptsLeft === 1 ? 'try' : 'tries'} left.`);
  }
  if (details.retryAfter) extras.push(`Try again after ${details.retryAfter.toISOString()}.`);
  return extras.length ? `${message} ${extras.join(' ')}` : message;
}

/**
 * THROTTLED with the time to try again: Apple's Retry-After, or our default when it sent none, so the
 * message always says when (and the daemon knows how long to pause).
 */
export function throttledError(details: Omit<ICloudErrorDetails, 'retryAfter'>, retryAfter: Date | undefined, now = Date.now()): ICloudError {
  return new ICloudError('THROTTLED', { ...details, retryAfter: retryAfter ?? new Date(now + THROTTLE_DEFAULT_WAIT_MS) });
}

export function isICloudError(error: unknown, code?: ErrorCode): error is ICloudError {
  return error instanceof ICloudError && (code === undefined || error.code === code);
}
