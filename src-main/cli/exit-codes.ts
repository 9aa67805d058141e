/**
 * The command line's exit codes. Each means one thing a script can act on; they are part of the
 * documented interface, so never renumber them.
 */
import type { ErrorCode } from '../../src-shared/errors.js';

export const EXIT = {
  /** Everything went as asked. */
  OK: 0,
  /** A bug or a failure nobody foresaw. */
  UNEXPECTED: 1,
  /** A setting, flag, config file or password file is wrong (or the command line itself). Fix it and run again. */
  CONFIG: 2,
  /** A person must sign in (or fix the account): run `icloud-photo-sync auth`. */
  AUTH_NEEDED: 3,
  /** Apple is throttling sign-ins: wait before trying again. */
  THROTTLED: 4,
  /** The run finished but some items failed; they are retried on the next run. */
  PARTIAL: 5,
  /** Many tracked files vanished at once: nothing was marked deleted. Check the folder or drive; re-run with --confirm-deletions <count> if intended. */
  MASS_DELETION: 6,
  /** Another sync of this account and folder is running. */
  ALREADY_RUNNING: 7,
  /** The sync folder or its marker file is missing (unmounted drive?). */
  FOLDER_MISSING: 8,
  /** iCloud could not be reached or answered with an error; try again later. */
  UNAVAILABLE: 9,
  /** A local storage problem: disk full, or the tracker database is damaged or too new. */
  STORAGE: 10,
  /** Not set up yet (no Apple ID or sync folder known): run `icloud-photo-sync setup`. */
  NOT_SET_UP: 11,
  /** What the command was asked to act on does not exist (e.g. `deleted restore` of a file not marked deleted). */
  NOT_FOUND: 12,
  /** Interrupted (Ctrl-C / SIGINT). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_ERROR: Record<ErrorCode, ExitCode> = {
  CONFIG_INVALID: EXIT.CONFIG,
  USAGE: EXIT.CONFIG,
  PASSWORD_FILE_MISSING: EXIT.CONFIG,
  UNKNOWN_PHONE: EXIT.CONFIG,
  NOT_SET_UP: EXIT.NOT_SET_UP,
  NOTHING_TO_RESTORE: EXIT.NOT_FOUND,
  INTERRUPTED: EXIT.INTERRUPTED,
  PASSWORD_FILE_UNSAFE: EXIT.CONFIG,
  WRONG_REGION: EXIT.CONFIG,
  WRONG_PASSWORD: EXIT.AUTH_NEEDED,
  APP_SPECIFIC_PASSWORD: EXIT.AUTH_NEEDED,
  WRONG_CODE: EXIT.AUTH_NEEDED,
  CODE_LOCKED: EXIT.AUTH_NEEDED,
  ACCOUNT_LOCKED: EXIT.AUTH_NEEDED,
  SECURITY_KEYS_UNSUPPORTED: EXIT.AUTH_NEEDED,
  TWO_STEP_UNSUPPORTED: EXIT.AUTH_NEEDED,
  REPAIR_NEEDED: EXIT.AUTH_NEEDED,
  WEB_ACCESS_DISABLED: EXIT.AUTH_NEEDED,
  ADP_APPROVAL_NEEDED: EXIT.AUTH_NEEDED,
  AUTH_REQUIRED: EXIT.AUTH_NEEDED,
  CODE_REQUIRED: EXIT.AUTH_NEEDED,
  PASSWORD_REQUIRED: EXIT.AUTH_NEEDED,
  THROTTLED: EXIT.THROTTLED,
  NETWORK: EXIT.UNAVAILABLE,
  APPLE_SERVER_ERROR: EXIT.UNAVAILABLE,
  ICLOUD_NOT_READY: EXIT.UNAVAILABLE,
  PROTOCOL_CHANGED: EXIT.UNEXPECTED,
  FOLDER_MISSING: EXIT.FOLDER_MISSING,
  MASS_DELETION: EXIT.MASS_DELETION,
  ALREADY_RUNNING: EXIT.ALREADY_RUNNING,
  DISK_FULL: EXIT.STORAGE,
  DATABASE_CORRUPT: EXIT.STORAGE,
  DATABASE_TOO_NEW: EXIT.STORAGE,
  // The archive to Azure: a setting or credential to fix, a service to wait for, or a full account.
  ARCHIVE_NOT_SET_UP: EXIT.CONFIG,
  ARCHIVE_AUTH_FAILED: EXIT.CONFIG,
  ARCHIVE_FORBIDDEN: EXIT.CONFIG,
  ARCHIVE_CONTAINER_MISSING: EXIT.CONFIG,
  ARCHIVE_THROTTLED: EXIT.THROTTLED,
  ARCHIVE_UNREACHABLE: EXIT.UNAVAILABLE,
  ARCHIVE_QUOTA_FULL: EXIT.STORAGE,
};

/** The exit code for an error catalogue code; codes added to the catalogue later map to UNEXPECTED. */
export function exitCodeFor(code: ErrorCode | undefined): ExitCode {
  return code ? (BY_ERROR[code] ?? EXIT.UNEXPECTED) : EXIT.UNEXPECTED;
}

/** Thrown by commands that finished but want a specific exit code (e.g. partial failure). */
export class ExitWith extends Error {
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
  }
}
