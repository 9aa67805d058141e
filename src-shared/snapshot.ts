/**
 * The service's state as every view sees it: one snapshot, validated by these schemas on both
 * sides of any boundary (IPC, HTTP). Times are ISO 8601 strings; sizes are bytes.
 */
import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from './errors.js';
import { USER_ACTIONS } from './user-actions.js';

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

export const errorCodeSchema = z.enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]]);
export const userActionSchema = z.enum(USER_ACTIONS);

/**
 * The one state shown, chosen by "worst wins" in this order: needs-you (a code or a password is
 * needed now) > error > offline > paused > syncing > up-to-date > not-set-up.
 */
export const APP_STATES = ['needs-you', 'error', 'offline', 'paused', 'syncing', 'up-to-date', 'not-set-up'] as const;
export const appStateSchema = z.enum(APP_STATES);
export type AppState = z.infer<typeof appStateSchema>;

/** The state's name as every view shows it (status page, tray tooltip). */
export const STATE_TITLES: Record<AppState, string> = {
  'needs-you': 'Needs you',
  error: 'Stopped',
  offline: 'Offline',
  paused: 'Paused',
  syncing: 'Syncing',
  'up-to-date': 'Up to date',
  'not-set-up': 'Not set up',
};

/** Every way a finished run can end: the engine's RunOutcome without 'running'. */
export const runOutcomeSchema = z.enum(['success', 'partial', 'failed', 'mass-deletion', 'folder-missing', 'disk-full', 'interrupted']);
export type RunOutcomeView = z.infer<typeof runOutcomeSchema>;

export const runViewSchema = z.object({
  id: z.number().int(),
  startedAt: isoTime,
  finishedAt: isoTime,
  outcome: runOutcomeSchema,
  downloaded: count,
  failed: count,
  bytes: count,
  /** Files noticed gone from the folder in this run (now deleted locally). */
  deletedNoticed: count,
  errorCode: errorCodeSchema.nullable(),
});
export type RunView = z.infer<typeof runViewSchema>;

export const syncPhaseSchema = z.enum(['scanning', 'listing', 'planning', 'transferring', 'finishing']);

export const progressSchema = z.object({
  phase: syncPhaseSchema,
  filesDone: count,
  filesTotal: count,
  bytesDone: count,
  bytesTotal: count,
  bytesPerSecond: count,
  /** Seconds left at the current rate; null before any byte arrived. */
  etaSeconds: count.nullable(),
});
export type ProgressView = z.infer<typeof progressSchema>;

export const trustedPhoneSchema = z.object({ id: z.number().int(), number: z.string() });

export const signInViewSchema = z.object({
  status: z.enum(['signed-out', 'signing-in', 'needs-code', 'ready', 'failed']),
  /** Trusted phones as Apple masks them, while a code is needed. */
  phones: z.array(trustedPhoneSchema),
  hasTrustedDevices: z.boolean(),
  codeSentTo: z.enum(['device', 'sms']).nullable(),
  codeLength: z.number().int().positive().nullable(),
  /** Counted by the service for this sign-in (Apple's wrong-code answer carries no count). */
  attemptsLeft: count.nullable(),
  errorCode: errorCodeSchema.nullable(),
});
export type SignInView = z.infer<typeof signInViewSchema>;

export const attentionItemSchema = z.object({
  assetId: z.string(),
  version: z.string(),
  message: z.string(),
  attempts: z.number().int().positive(),
  lastAt: isoTime,
});
export type AttentionItem = z.infer<typeof attentionItemSchema>;

export const arrivalSchema = z.object({
  relPath: z.string(),
  assetId: z.string(),
  version: z.string(),
  at: isoTime,
  /** The asset's kind; absent when the engine did not say. */
  media: z.enum(['photo', 'video']).optional(),
  /** A video's length in seconds, when Apple sent it. */
  durationSeconds: z.number().nonnegative().nullable().optional(),
  /** Its thumbnail (AppBridge.getThumbnail): fetched after the run ('pending' until then), or none to show. */
  thumbnail: z.enum(['pending', 'ready', 'none']).optional(),
});
export type Arrival = z.infer<typeof arrivalSchema>;

/** How an archive run to Azure ended (the archive's own outcome, apart from the sync's). */
export const archiveOutcomeSchema = z.enum(['success', 'partial', 'failed', 'interrupted', 'mass-deletion']);

export const archiveRunViewSchema = z.object({
  finishedAt: isoTime,
  outcome: archiveOutcomeSchema,
  uploaded: count,
  bytes: count,
  removed: count,
  failed: count,
  errorCode: errorCodeSchema.nullable(),
  /** The plain sentence of a stop (what happened, what to do). */
  message: z.string().nullable(),
});
export type ArchiveRunView = z.infer<typeof archiveRunViewSchema>;

/** The off-site archive stage that follows each sync when it is on; its failures never fail the sync. */
export const archiveViewSchema = z.object({
  enabled: z.boolean(),
  running: z.boolean(),
  progress: z.object({ filesDone: count, filesTotal: count, bytesDone: count, bytesTotal: count }).nullable(),
  lastRun: archiveRunViewSchema.nullable(),
});
export type ArchiveView = z.infer<typeof archiveViewSchema>;
/**
 * The local web page (src-main/web/): off, starting, serving at `url`, or failed with `message`
 * (what happened and what to do). `url` never carries the token: the link with it is a secret.
 */
export const webPageSchema = z.object({
  status: z.enum(['off', 'starting', 'serving', 'failed']),
  url: z.string().nullable(),
  message: z.string().nullable(),
});
export type WebPageView = z.infer<typeof webPageSchema>;

export const appSnapshotSchema = z.object({
  state: appStateSchema,
  /** Trust ends within a week: a warning beside the state; syncing goes on. */
  trustEndingSoon: z.boolean(),
  /** One plain sentence for the status area, with the action it calls for. */
  message: z.string(),
  errorCode: errorCodeSchema.nullable(),
  action: userActionSchema.nullable(),
  appleId: z.string().nullable(),
  syncFolder: z.string().nullable(),
  signIn: signInViewSchema,
  progress: progressSchema.nullable(),
  /** A sync started elsewhere (the CLI) holds this account's run lock. */
  runningElsewhere: z.boolean(),
  /** Paused: until when, or null for "until resumed". Absent (null) when not paused. */
  pause: z.object({ until: isoTime.nullable() }).nullable(),
  nextRunAt: isoTime.nullable(),
  /** The run waits for Apple's throttling to end. */
  throttledUntil: isoTime.nullable(),
  lastSuccessAt: isoTime.nullable(),
  /** An estimate: read from a cookie whose meaning is a guess; Apple may end trust earlier. */
  trustEndsAt: isoTime.nullable(),
  counts: z.object({ photos: count, videos: count, deletedLocally: count, bytesOnDisk: count }),
  lastRun: runViewSchema.nullable(),
  recentRuns: z.array(runViewSchema),
  /** Files that failed and are retried on the next run. */
  attention: z.array(attentionItemSchema),
  /** For MASS_DELETION: how many files vanished (confirm-deletions must name this count). */
  vanished: count.nullable(),
  recentArrivals: z.array(arrivalSchema),
  archive: archiveViewSchema,
  webPage: webPageSchema,
});
export type AppSnapshot = z.infer<typeof appSnapshotSchema>;

export const SIGNED_OUT: SignInView = {
  status: 'signed-out',
  phones: [],
  hasTrustedDevices: false,
  codeSentTo: null,
  codeLength: null,
  attemptsLeft: null,
  errorCode: null,
};

export const INITIAL_SNAPSHOT: AppSnapshot = {
  state: 'not-set-up',
  trustEndingSoon: false,
  message: 'Not set up yet: choose your Apple ID and a folder in Settings.',
  errorCode: null,
  action: null,
  appleId: null,
  syncFolder: null,
  signIn: SIGNED_OUT,
  progress: null,
  runningElsewhere: false,
  pause: null,
  nextRunAt: null,
  throttledUntil: null,
  lastSuccessAt: null,
  trustEndsAt: null,
  counts: { photos: 0, videos: 0, deletedLocally: 0, bytesOnDisk: 0 },
  lastRun: null,
  recentRuns: [],
  attention: [],
  vanished: null,
  recentArrivals: [],
  archive: { enabled: false, running: false, progress: null, lastRun: null },
  webPage: { status: 'off', url: null, message: null },
};
