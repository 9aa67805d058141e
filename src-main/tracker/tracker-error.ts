import { userMessage, type ErrorCode } from '../../src-shared/errors.js';

export type TrackerErrorCode = Extract<ErrorCode, 'DATABASE_CORRUPT' | 'DATABASE_TOO_NEW'>;

/** A database problem the user must hear about; `message` is the catalogue text. */
export class TrackerError extends Error {
  constructor(
    readonly code: TrackerErrorCode,
    /** Where the damaged database was copied to (DATABASE_CORRUPT only). */
    readonly backupPath?: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage(code), options);
    this.name = 'TrackerError';
  }
}
