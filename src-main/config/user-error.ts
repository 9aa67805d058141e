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

// One definition of "which catalogue code does this error carry", shared with the engine.
export { errorCodeOf } from '../../src-shared/errors.js';

/** A setting refused: which one, the value given, and what is allowed (views show these apart). */
export class SettingError extends UserError {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly allowed: string,
    detail: string,
    /** What is wrong beyond "not allowed", when the detail says more than the value and the rule. */
    readonly problem?: string,
  ) {
    super('CONFIG_INVALID', detail);
    this.name = 'SettingError';
  }
}
