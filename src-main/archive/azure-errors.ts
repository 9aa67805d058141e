/**
 * Azure's answers turned into the catalogue's plain messages, and the one retry loop of the archive:
 * the SDK's own retries are off (they ignore Retry-After), so a throttled request waits as long as
 * Azure asks, or backs off 1, 2, 4... seconds when it does not say.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorCode } from '../../src-shared/errors.js';
import { UserError } from '../config/user-error.js';

export class ArchiveError extends UserError {
  constructor(
    code: ErrorCode,
    detail?: string,
    /** Seconds Azure asked to wait (throttling), when it said. */
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(code, detail, options);
    this.name = 'ArchiveError';
  }
}

interface AzureLikeError {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  details?: { errorCode?: string };
  response?: { headers?: { get(name: string): string | undefined } };
  cause?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'REQUEST_SEND_ERROR']);
/** 403s that mean the credentials themselves are wrong (a bad key or SAS signature), not a missing role. */
const AUTH_CODES = new Set(['AuthenticationFailed', 'InvalidAuthenticationInfo', 'NoAuthenticationInformation']);
/** Errors of @azure/identity when no sign-in works on this machine. */
const IDENTITY_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

/** The storage error code Azure sent (x-ms-error-code), if any. */
export function azureCodeOf(error: unknown): string | undefined {
  const e = error as AzureLikeError | null;
  return e?.details?.errorCode ?? e?.response?.headers?.get('x-ms-error-code') ?? (typeof e?.code === 'string' ? e.code : undefined);
}

function retryAfterOf(error: unknown): number | undefined {
  const header = (error as AzureLikeError | null)?.response?.headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : undefined;
}

/** The network failure's code (ECONNREFUSED...) when the request got no answer at all. */
function networkCodeOf(error: unknown): string | undefined {
  for (let e = error as AzureLikeError | undefined, depth = 0; e && depth < 4; e = e.cause as AzureLikeError | undefined, depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  }
  return undefined;
}

function isNetworkError(error: unknown): boolean {
  return networkCodeOf(error) !== undefined;
}

/** Quota or capacity: Azure has no single code for a full account, so its words decide. */
function isQuotaFull(error: unknown): boolean {
  const code = azureCodeOf(error) ?? '';
  return /quota|capacity|limitexceeded/i.test(code);
}

/**
 * A key or SAS that does not sign right. Azure says AuthenticationFailed; Azurite says
 * AuthorizationFailure with Azure's "failed to authenticate" words (a missing permission has others).
 */
function isBadSignature(code: string | undefined, message: string | undefined): boolean {
  if (code && AUTH_CODES.has(code)) return true;
  return code === 'AuthorizationFailure' && /failed to authenticate/i.test(message ?? '');
}

/** Throttling or a passing server fault: worth trying again. */
export function isTransient(error: unknown): boolean {
  const status = (error as AzureLikeError | null)?.statusCode;
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504 || isNetworkError(error);
}

/** Any failure of a request to Azure, as the catalogue error a user can act on (or the error itself). */
export function toArchiveError(error: unknown): unknown {
  if (error instanceof ArchiveError) return error;
  const e = error as AzureLikeError | null;
  const status = e?.statusCode;
  const code = azureCodeOf(error);
  const said = code ? `(Azure said: ${code})` : undefined;
  if (e?.name && IDENTITY_ERRORS.has(e.name)) return new ArchiveError('ARCHIVE_AUTH_FAILED', '(no Azure sign-in worked on this machine)', undefined, { cause: error });
  if (isQuotaFull(error)) return new ArchiveError('ARCHIVE_QUOTA_FULL', said, undefined, { cause: error });
  if (status === 401 || (status === 403 && isBadSignature(code, e?.message))) return new ArchiveError('ARCHIVE_AUTH_FAILED', said, undefined, { cause: error });
  if (status === 403) return new ArchiveError('ARCHIVE_FORBIDDEN', said, undefined, { cause: error });
  if (status === 404 && code === 'ContainerNotFound') return new ArchiveError('ARCHIVE_CONTAINER_MISSING', said, undefined, { cause: error });
  if (status === 429 || status === 503 || (status === 500 && code === 'OperationTimedOut')) {
    return new ArchiveError('ARCHIVE_THROTTLED', said, retryAfterOf(error), { cause: error });
  }
  // No answer is not something Azure said: name the network's failure instead.
  const network = networkCodeOf(error);
  if (network) return new ArchiveError('ARCHIVE_UNREACHABLE', `(no answer from Azure: ${network})`, undefined, { cause: error });
  if (status !== undefined && status >= 500) return new ArchiveError('ARCHIVE_UNREACHABLE', said, undefined, { cause: error });
  return error;
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  maxTries: number;
  signal?: AbortSignal;
  /** Told before each wait (for the log): how long, and why. */
  onWait?: (seconds: number, error: unknown) => void;
}

/** The longest single wait, even when Azure asks for more (the next run picks up anyway). */
const MAX_WAIT_SECONDS = 120;

/** Runs `request`, retrying transient failures; the final failure comes back as a catalogue error. */
export async function withRetries<T>(request: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!isTransient(error) || attempt >= options.maxTries || options.signal?.aborted) throw toArchiveError(error);
      const seconds = Math.min(retryAfterOf(error) ?? 2 ** (attempt - 1), MAX_WAIT_SECONDS);
      options.onWait?.(seconds, error);
      await sleep(seconds * 1000, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {});
    }
  }
}
