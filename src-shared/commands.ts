/**
 * What a view may ask of the service, and what comes back. Every command is parsed with
 * `appCommandSchema` by the service before it acts; every reply is `{ ok: true, result }` with the
 * command's own result schema, or `{ ok: false, error }` with a catalogue code.
 */
import { z } from 'zod';
import { errorCodeSchema, runOutcomeSchema } from './snapshot.js';

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

/** Where nudges can go (settings key notifyChannels). */
export const notifyChannelSchema = z.enum(['desktop', 'pushover', 'ntfy']);
export type NotifyChannel = z.infer<typeof notifyChannelSchema>;
/** The keys of the notification services, kept only in the service's secrets.json. */
export const notifyKeySchema = z.enum(['pushover-token', 'pushover-user', 'ntfy-token']);
/** The archive's secrets (settings name which one is used: archiveCredential). */
export const archiveSecretSchema = z.enum(['archive-connection-string', 'archive-sas-url']);

export const appCommandSchema = z.discriminatedUnion('type', [
  /** Start a run now (refused while one runs: the reply says so). */
  z.object({ type: z.literal('sync-now') }),
  /** Stop scheduled runs until `until` (null: until resumed). A run in progress finishes. */
  z.object({ type: z.literal('pause'), until: isoTime.nullable() }),
  z.object({ type: z.literal('resume') }),
  /** Starts a sign-in; ends 'ready' or 'needs-code' (then request-code, submit-code). */
  z.object({ type: z.literal('sign-in'), appleId: z.string().trim().min(3), password: z.string().min(1) }),
  z.object({ type: z.literal('request-code'), channel: z.enum(['device', 'sms']), phoneId: z.number().int().optional() }),
  z.object({ type: z.literal('submit-code'), code: z.string().trim().min(1) }),
  /** Deletes the session; the folder and the tracker stay. */
  z.object({ type: z.literal('sign-out') }),
  z.object({ type: z.literal('get-settings') }),
  /** Saves only the keys given; the whole result is validated first and nothing is saved on error. */
  z.object({ type: z.literal('save-settings'), values: z.record(z.string(), z.unknown()) }),
  /** Before a folder is chosen: can this user write there, its free space, the files already in it. Nothing is saved. */
  z.object({ type: z.literal('check-folder'), folder: z.string().trim().min(1) }),
  /** A dry run: what the next run would do, and the free space at the folder. */
  z.object({ type: z.literal('preview') }),
  z.object({ type: z.literal('list-deleted') }),
  /** Paths as listed by list-deleted, or asset ids; the next run downloads them again. */
  z.object({ type: z.literal('restore-deleted'), targets: z.array(z.string().min(1)).min(1) }),
  /** Retry the files that need attention (runs now). */
  z.object({ type: z.literal('retry-attention') }),
  /** After a mass-deletion stop: the person confirms exactly this many files were deleted on purpose. */
  z.object({ type: z.literal('confirm-deletions'), count: z.number().int().positive() }),
  /** Settings > Notifications > "Send test": checks the keys (Pushover: users/validate) and sends a test. */
  z.object({ type: z.literal('send-test'), channel: notifyChannelSchema }),
  /** Each channel's last delivery: a refusal naming the field, a quota with its reset time. */
  z.object({ type: z.literal('notification-status') }),
  /** Stores a notification key in secrets.json (null clears it); the value is never sent back. */
  z.object({ type: z.literal('save-notify-key'), name: notifyKeySchema, value: z.string().min(1).nullable() }),
  /** Which archive secrets are stored (never their values). */
  z.object({ type: z.literal('archive-secrets') }),
  /** Stores an archive secret in secrets.json (null clears it); the value is never sent back. */
  z.object({ type: z.literal('save-archive-secret'), name: archiveSecretSchema, value: z.string().min(1).nullable() }),
]);
export type AppCommand = z.infer<typeof appCommandSchema>;
export type AppCommandType = AppCommand['type'];

export const settingSourceSchema = z.enum(['default', 'config file', 'environment', 'flag']);

export const settingViewSchema = z.object({
  key: z.string(),
  value: z.unknown(),
  source: settingSourceSchema,
  /** Set by the environment or a flag: shown, not editable here. */
  readOnly: z.boolean(),
  /** Where it is set when read-only (e.g. ICLOUD_PHOTO_SYNC_INTERVAL, --interval). */
  setBy: z.string().nullable(),
  allowed: z.string(),
  description: z.string(),
});
export type SettingView = z.infer<typeof settingViewSchema>;

export const deletedFileSchema = z.object({
  relPath: z.string(),
  assetId: z.string(),
  version: z.string(),
  size: count,
  noticedAt: isoTime.nullable(),
});
export type DeletedFileView = z.infer<typeof deletedFileSchema>;

export const folderCheckSchema = z.object({
  /** The full path the service would use (~ expanded, relative paths resolved). */
  folder: z.string(),
  exists: z.boolean(),
  /** The folder can be written in, or created (it does not exist yet). */
  writable: z.boolean(),
  /** Free bytes on its disk (of the closest existing folder above it); null when unknown. */
  freeBytes: count.nullable(),
  /** Files already in it (not counting iCloud Photo Sync's own). */
  filesFound: count,
  /** What is wrong and what to do, in plain words; null when the folder can be used. */
  problem: z.string().nullable(),
});
export type FolderCheck = z.infer<typeof folderCheckSchema>;

const runStart = z.object({
  /** False when a run was already going (ours, or the CLI's): nothing new started. */
  started: z.boolean(),
  reason: z.enum(['already-running', 'running-elsewhere', 'needs-sign-in', 'throttled']).nullable(),
});

const signInResult = z.object({ status: z.enum(['ready', 'needs-code']) });

/** One channel's delivery, as Settings shows it. */
export const channelReportSchema = z.object({
  ok: z.boolean(),
  /** Plain words: what went wrong and what to fix; empty when ok. */
  message: z.string(),
  /** The setting or secret to fix (e.g. pushover-user, ntfyTopic). */
  field: z.string().nullable(),
  /** For a used-up monthly quota: when sending works again. */
  resetsAt: isoTime.nullable(),
});
export type ChannelReport = z.infer<typeof channelReportSchema>;

/** The result of each command, by type. */
export const commandResultSchemas = {
  'sync-now': runStart,
  pause: z.object({ until: isoTime.nullable() }),
  resume: z.object({}),
  'sign-in': signInResult,
  'request-code': z.object({ sentTo: z.enum(['device', 'sms']) }),
  'submit-code': signInResult,
  'sign-out': z.object({}),
  'get-settings': z.object({ settings: z.array(settingViewSchema), configFile: z.string() }),
  'save-settings': z.object({ saved: z.array(z.string()), configFile: z.string() }),
  'check-folder': folderCheckSchema,
  preview: z.object({
    outcome: runOutcomeSchema,
    errorCode: errorCodeSchema.nullable(),
    download: count,
    downloadBytes: count,
    alreadyHave: count,
    /** Files already in the folder that are the library's (another downloader's, e.g. icloudpd): kept, not downloaded. */
    recognised: count,
    deletedLocally: count,
    filtered: count,
    /** Free bytes on the disk of the sync folder. */
    freeBytes: count,
  }),
  'list-deleted': z.object({ files: z.array(deletedFileSchema) }),
  'restore-deleted': z.object({ restored: z.array(deletedFileSchema) }),
  'retry-attention': runStart,
  'confirm-deletions': runStart,
  'send-test': channelReportSchema,
  'notification-status': z.object({
    channels: z.array(channelReportSchema.extend({ channel: notifyChannelSchema, enabled: z.boolean(), at: isoTime.nullable(), keys: z.array(z.object({ name: notifyKeySchema, set: z.boolean() })) })),
  }),
  'save-notify-key': z.object({ name: notifyKeySchema, set: z.boolean() }),
  'archive-secrets': z.object({ keys: z.array(z.object({ name: archiveSecretSchema, set: z.boolean() })) }),
  'save-archive-secret': z.object({ keys: z.array(z.object({ name: archiveSecretSchema, set: z.boolean() })) }),
} satisfies Record<AppCommandType, z.ZodType>;

export type CommandResult<T extends AppCommandType> = z.infer<(typeof commandResultSchemas)[T]>;

export const commandErrorSchema = z.object({
  code: errorCodeSchema,
  /** The catalogue sentence for the app, plus the detail. */
  message: z.string(),
  /** The exact setting refused by save-settings, with what is allowed. */
  setting: z
    .object({
      key: z.string(),
      value: z.unknown(),
      allowed: z.string(),
      /** What is wrong with this value beyond "not allowed" (e.g. a folder that cannot be written), in plain words. */
      problem: z.string().optional(),
    })
    .optional(),
});
export type CommandError = z.infer<typeof commandErrorSchema>;

export type CommandReply<T extends AppCommandType> = { ok: true; result: CommandResult<T> } | { ok: false; error: CommandError };

/** The reply schema for one command type (for a bridge that receives replies over a wire). */
export function commandReplySchema<T extends AppCommandType>(type: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), result: commandResultSchemas[type] }),
    z.object({ ok: z.literal(false), error: commandErrorSchema }),
  ]);
}

/** When a pause chosen from the menu ends: 30 minutes, 1 hour, tomorrow 06:00 local time, or never. */
export type PauseChoice = '30m' | '1h' | 'tomorrow' | 'until-resumed';

export function pauseUntil(choice: PauseChoice, now: Date): string | null {
  switch (choice) {
    case '30m':
      return new Date(now.getTime() + 30 * 60_000).toISOString();
    case '1h':
      return new Date(now.getTime() + 60 * 60_000).toISOString();
    case 'tomorrow': {
      const morning = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 6, 0, 0);
      return morning.toISOString();
    }
    case 'until-resumed':
      return null;
  }
}
