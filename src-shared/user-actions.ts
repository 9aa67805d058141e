import { ERROR_CATALOGUE, type ErrorCode } from './errors.js';

/**
 * What a person does about a stop, once per surface: the CLI names a command, the app names a
 * button. The catalogue's own sentence (errors.ts) says what happened; this says what to press.
 */
export const USER_ACTIONS = ['sign-in', 'enter-code', 'confirm-deletions', 'set-up-folder', 'free-space', 'update-app', 'open-settings', 'wait'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];
export type Surface = 'cli' | 'app';

export const ACTION_WORDING: Record<UserAction, Record<Surface, string>> = {
  'sign-in': { cli: 'Run: icloud-photo-sync auth', app: 'Click "Sign in".' },
  'enter-code': { cli: 'Run: icloud-photo-sync auth', app: 'Click "Enter code" and type the code Apple sent you.' },
  'confirm-deletions': {
    cli: 'If you deleted them on purpose, run: icloud-photo-sync sync --confirm-deletions',
    app: 'If you deleted them on purpose, click "Confirm deletions".',
  },
  'set-up-folder': { cli: 'Run: icloud-photo-sync setup', app: 'Choose the folder again in Settings.' },
  'free-space': { cli: 'Free some disk space, then run the sync again.', app: 'Free some disk space, then click "Sync now".' },
  'update-app': { cli: 'Install the newest version of icloud-photo-sync.', app: 'Install the newest version of iCloud Photo Sync.' },
  'open-settings': { cli: 'Fix the setting named above.', app: 'Open Settings and fix the setting named above.' },
  wait: { cli: 'Wait, then run the sync again.', app: 'Nothing to do: the app tries again by itself.' },
};

/** The action each stop calls for; codes not listed need nothing from the person. */
export const ACTION_OF_ERROR: Partial<Record<ErrorCode, UserAction>> = {
  WRONG_PASSWORD: 'sign-in',
  APP_SPECIFIC_PASSWORD: 'sign-in',
  WRONG_CODE: 'enter-code',
  CODE_LOCKED: 'sign-in',
  AUTH_REQUIRED: 'sign-in',
  CODE_REQUIRED: 'enter-code',
  PASSWORD_REQUIRED: 'sign-in',
  WRONG_REGION: 'open-settings',
  CONFIG_INVALID: 'open-settings',
  NOT_SET_UP: 'open-settings',
  PASSWORD_FILE_MISSING: 'open-settings',
  FOLDER_MISSING: 'set-up-folder',
  MASS_DELETION: 'confirm-deletions',
  DISK_FULL: 'free-space',
  DATABASE_TOO_NEW: 'update-app',
  PROTOCOL_CHANGED: 'update-app',
  THROTTLED: 'wait',
  NETWORK: 'wait',
  APPLE_SERVER_ERROR: 'wait',
  ICLOUD_NOT_READY: 'wait',
};

export function actionOf(code: ErrorCode | null | undefined): UserAction | null {
  return code ? (ACTION_OF_ERROR[code] ?? null) : null;
}

/**
 * The app's wording of the catalogue sentences that name a CLI command or flag; every other code
 * reads the same everywhere.
 */
const APP_MESSAGES: Partial<Record<ErrorCode, string>> = {
  AUTH_REQUIRED: 'You need to sign in to iCloud again.',
  CODE_REQUIRED: 'Apple needs a verification code to sign in.',
  PASSWORD_REQUIRED: 'Your session has ended and a fresh sign-in needs your Apple ID password.',
  MASS_DELETION: 'Many downloaded files have disappeared from the sync folder at once. Nothing was marked as deleted.',
  // Codes the command line raises; the app words them without naming commands or flags.
  USAGE: 'The request was not understood. Nothing was changed.',
  NOT_SET_UP: 'iCloud Photo Sync is not set up yet.',
  PASSWORD_FILE_MISSING: 'The password file named in Settings is not there or cannot be read.',
  UNKNOWN_PHONE: 'There is no trusted phone with that id. Pick one of your trusted phones.',
  NOTHING_TO_RESTORE: 'Nothing marked as deleted matches what you chose.',
};

/** The catalogue sentence for `code` as `surface` shows it, followed by the action it calls for. */
export function messageFor(code: ErrorCode, surface: Surface): string {
  const action = actionOf(code);
  if (surface === 'cli') return ERROR_CATALOGUE[code];
  const sentence = APP_MESSAGES[code] ?? ERROR_CATALOGUE[code];
  return action && APP_MESSAGES[code] ? `${sentence} ${ACTION_WORDING[action].app}` : sentence;
}
