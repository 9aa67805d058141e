import { errorCodeOf as sharedErrorCodeOf, userMessage, type ErrorCode } from '../../src-shared/errors.js';

/** A run-level stop with a catalogue code; `message` is the plain-language text for the user. */
export class SyncError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage(code), options);
    this.name = 'SyncError';
  }
}

/** The catalogue code carried by any error thrown below the engine (client, tracker, ...), if any. */
export function errorCodeOf(error: unknown): ErrorCode | null {
  return sharedErrorCodeOf(error) ?? null;
}

/** The text a summary or failure shows for an error: SQLite's own wording is not for users. */
export function errorMessageOf(error: unknown): string {
  if ((error as { code?: unknown } | null)?.code === 'SQLITE_FULL') {
    return 'No space left on the disk holding the sync database (its data folder). Free some space and run again.';
  }
  return error instanceof Error ? error.message : String(error);
}

/** When an error (THROTTLED) says to try again, as ISO 8601; null when it does not say. */
export function retryAfterOf(error: unknown): string | null {
  const retryAfter = (error as { retryAfter?: unknown } | null)?.retryAfter;
  return retryAfter instanceof Date && !Number.isNaN(retryAfter.getTime()) ? retryAfter.toISOString() : null;
}
