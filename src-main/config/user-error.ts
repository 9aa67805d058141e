import { ERROR_CATALOGUE, type ErrorCode } from '../../src-shared/errors.js';

/**
 * A failure the user can act on: a catalogue code plus, when useful, a detail naming the exact
 * setting, file or value involved. The message is the catalogue text followed by that detail.
 */
export class UserError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${ERROR_CATALOGUE[code]} ${detail}` : ERROR_CATALOGUE[code], options);
    this.name = 'UserError';
    this.code = code;
    this.detail = detail;
  }
}

/** The catalogue code carried by any error (ours or a teammate's typed error), if it has one. */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code) ? (code as ErrorCode) : undefined;
}
