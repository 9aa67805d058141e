/**
 * Every failure a user can meet, as a stable code with a plain-language message saying what
 * happened and what to do next. The engine, the CLI, the web page and the app all show these.
 * Add a code here before throwing it anywhere.
 */
export const ERROR_CATALOGUE = {
  WRONG_PASSWORD: 'Apple did not accept that Apple ID or password. Check both and try again.',
  APP_SPECIFIC_PASSWORD:
    'That looks like an app-specific password (xxxx-xxxx-xxxx-xxxx). iCloud Photos can only be reached with your normal Apple ID password: enter that instead.',
  WRONG_CODE: 'That verification code is not right. Check the code on your device and enter it again.',
  CODE_LOCKED:
    'Too many wrong verification codes. Apple has paused code entry for this sign-in: wait a while, then sign in again to get a new code.',
  ACCOUNT_LOCKED:
    'Apple has locked this Apple ID for security reasons. Unlock it at https://iforgot.apple.com, then sign in again.',
  THROTTLED:
    'Apple is refusing requests from this computer for now (too many attempts). Nothing is wrong with your password or your photos: wait before trying again; trying sooner makes the wait longer.',
  SECURITY_KEYS_UNSUPPORTED:
    'This Apple ID uses security keys for two-factor sign-in, which this app cannot use yet. Sign in with an Apple ID that uses verification codes.',
  TWO_STEP_UNSUPPORTED:
    'This Apple ID uses the old two-step verification. Upgrade it to two-factor authentication in your Apple ID settings, then sign in again.',
  REPAIR_NEEDED:
    'Apple needs you to review your account first. Sign in once at https://www.icloud.com, accept any new terms, then try again.',
  WEB_ACCESS_DISABLED:
    'iCloud refuses access to your photos from the web. On your iPhone or iPad open Settings > [your name] > iCloud and turn on "Access iCloud Data on the Web", then try again.',
  ADP_APPROVAL_NEEDED:
    'Advanced Data Protection is on for this Apple ID. Approve this sign-in on one of your Apple devices when it asks, then try again.',
  WRONG_REGION:
    'This Apple ID belongs to iCloud in China mainland. Set the region to "china" in the settings and sign in again.',
  ICLOUD_NOT_READY:
    'iCloud Photos is not ready for this Apple ID yet (it is still being set up or indexed). Try again later.',
  AUTH_REQUIRED:
    'You need to sign in again. Run the sign-in (icloud-photo-sync auth, or "Sign in" in the app).',
  CODE_REQUIRED: 'Apple needs a verification code to sign in. Run the sign-in to enter the code.',
  PASSWORD_REQUIRED:
    'Your session has ended and a fresh sign-in needs your Apple ID password. Sign in again, or configure a password source for unattended runs.',
  NETWORK: 'Cannot reach iCloud. Check your internet connection and try again.',
  APPLE_SERVER_ERROR: 'iCloud answered with an unexpected error. Nothing was lost: the next run will try again.',
  PROTOCOL_CHANGED:
    'iCloud answered in a way this version does not understand. Nothing was lost. Please check for an update of iCloud Photo Sync.',
  CONFIG_INVALID: 'A setting is not valid.',
  USAGE: 'The command line is not right. Run the command with --help to see what it accepts.',
  NOT_SET_UP:
    'iCloud Photo Sync is not set up yet. Run once: icloud-photo-sync setup --apple-id you@example.com --sync-folder <folder> (it saves both in the config file).',
  PASSWORD_FILE_MISSING:
    'The password file is not there or cannot be read. Check the passwordFile setting (ICLOUD_PHOTO_SYNC_PASSWORD_FILE) names your password file.',
  UNKNOWN_PHONE: 'There is no trusted phone with that id. Pick one of the ids listed for your trusted phones.',
  NOTHING_TO_RESTORE: 'Nothing marked as deleted matches what you gave. List the deleted files with: icloud-photo-sync deleted.',
  INTERRUPTED:
    'The run was stopped before it finished (Ctrl-C or a stop signal). Everything finished so far is kept; the next run continues from there.',
  FOLDER_MISSING:
    'The sync folder is not there or its marker file is missing (is the drive unplugged?). Nothing was changed. Reconnect the drive, or set the folder up again.',
  MASS_DELETION:
    'Many downloaded files have disappeared from the sync folder at once. Nothing was marked as deleted. Check that this is the right folder or drive; if you deleted them on purpose, confirm with their number (--confirm-deletions <number>).',
  ALREADY_RUNNING: 'A sync of this account into this folder is already running. Wait for it to finish.',
  DISK_FULL: 'The disk is full (where the photos or the sync database are kept). Free some space; the next run will pick up where this one stopped.',
  DATABASE_CORRUPT:
    'The sync database is damaged. A backup copy was kept beside it. The next run starts a new database and re-checks your folder.',
  DATABASE_TOO_NEW:
    'The sync database was written by a newer version of iCloud Photo Sync. Update the app; the database was not changed.',
  PASSWORD_FILE_UNSAFE:
    'The password file can be read by other users. Restrict it to yourself (chmod 600 on Linux) and try again.',
  ARCHIVE_NOT_SET_UP:
    'The Azure archive is not set up. Set archiveContainer, and archiveAccountUrl or a connection string / SAS URL secret (see README, "Off-site archive").',
  ARCHIVE_AUTH_FAILED:
    'Azure did not accept the archive\'s credentials (wrong or expired key, connection string or SAS URL, or no Azure sign-in on this machine). Check the secret or your Azure sign-in, then run the archive again.',
  ARCHIVE_FORBIDDEN:
    'Azure refused to let this account write to the archive container. Grant it the role "Storage Blob Data Contributor" on the container (or use a SAS URL with read, add, create, write and list rights), then run the archive again.',
  ARCHIVE_CONTAINER_MISSING:
    'The archive\'s blob container does not exist in that storage account. Create it (az storage container create, see README) or correct the archiveContainer setting.',
  ARCHIVE_THROTTLED:
    'Azure Storage kept asking this computer to slow down. Nothing is lost: the next run continues where this one stopped.',
  ARCHIVE_UNREACHABLE:
    'Cannot reach Azure Storage. Check the internet connection and the account URL; the next run continues where this one stopped.',
  ARCHIVE_QUOTA_FULL:
    'The storage account is full (it reached its capacity limit). Free space or raise the limit in Azure; the next run continues where this one stopped.',
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function userMessage(code: ErrorCode): string {
  return ERROR_CATALOGUE[code];
}

/**
 * The catalogue code carried by any error (ours, or a typed error from a lower layer), if it has
 * one. A full disk arrives as ENOSPC from the file system and as SQLITE_FULL from SQLite.
 */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return 'DISK_FULL';
  return Object.hasOwn(ERROR_CATALOGUE, code) ? (code as ErrorCode) : undefined;
}
