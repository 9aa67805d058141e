/**
 * The service's commands: each input is parsed with the contract's schema, each answer is the
 * command's typed result or a catalogue error in the app's words. Errors that carry no catalogue
 * code are bugs and are thrown.
 */
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { appCommandSchema, type AppCommand, type AppCommandType, type CommandError, type CommandReply, type CommandResult, type DeletedFileView } from '../../src-shared/commands.js';
import { errorCodeOf } from '../../src-shared/errors.js';
import { messageFor } from '../../src-shared/user-actions.js';
import { saveSettings } from '../config/settings-writer.js';
import { SettingError, UserError } from '../config/user-error.js';
import type { SignInSource } from '../icloud/auth/sign-in-audit.js';
import { ICloudError } from '../icloud/errors.js';
import { setupSyncFolder } from '../sync/folder-marker.js';
import { listDeletedFiles, makeRetriesDueNow, restoreDeletedFile } from '../sync/sync-queries.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import { checkFolder } from './folder-check.js';
import { notificationStatus, saveNotifyKey, sendTest } from './notify-commands.js';
import { archiveSecrets, saveArchiveSecret } from './archive-commands.js';
import { describeSettings } from './settings-view.js';
import type { SyncService } from './sync-service.js';

type Handlers = {
  [T in AppCommandType]: (service: SyncService, command: Extract<AppCommand, { type: T }>, source: SignInSource | undefined) => Promise<CommandResult<T>>;
};

/**
 * Parses `raw` as a command and runs it; never rejects for a refused command. `source` says which
 * view sent it, for the sign-in audit trail (default: the service's host).
 */
export async function handleCommand(service: SyncService, raw: unknown, source?: SignInSource): Promise<CommandReply<AppCommandType>> {
  const parsed = appCommandSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    return { ok: false, error: { code: 'CONFIG_INVALID', message: `This request is not one the service understands${where}: ${issue?.message ?? 'invalid'}.` } };
  }
  const command = parsed.data;
  try {
    const handler = HANDLERS[command.type] as (service: SyncService, command: AppCommand, source: SignInSource | undefined) => Promise<CommandResult<AppCommandType>>;
    return { ok: true, result: await handler(service, command, source) };
  } catch (error) {
    const reply = commandError(error);
    if (!reply) throw error;
    return { ok: false, error: reply };
  }
}

/** The catalogue error a thrown error stands for, worded for the app; undefined for a bug. */
export function commandError(error: unknown): CommandError | undefined {
  const code = errorCodeOf(error);
  if (!code) return undefined;
  if (error instanceof ICloudError) return { code, message: error.userMessage };
  const detail = error instanceof UserError ? error.detail : undefined;
  const message = detail ? `${messageFor(code, 'app')} ${detail}` : messageFor(code, 'app');
  if (error instanceof SettingError) {
    return { code, message, setting: { key: error.key, value: error.value, allowed: error.allowed, ...(error.problem ? { problem: error.problem } : {}) } };
  }
  return { code, message };
}

function requireClient(service: SyncService) {
  const client = service.currentClient;
  if (!client) throw new UserError('CONFIG_INVALID', 'No Apple ID is set: enter it in Settings, then sign in.');
  return client;
}

function requireDatabase(service: SyncService): string {
  const path = service.databasePath;
  if (!path) throw new UserError('CONFIG_INVALID', 'No Apple ID is set: enter it in Settings.');
  return path;
}

function deletedView(file: TrackedFile): DeletedFileView {
  return { relPath: file.relPath, assetId: file.assetId, version: file.version, size: file.size, noticedAt: file.noticedAt === null ? null : new Date(file.noticedAt).toISOString() };
}

/** A new sync folder must be one this user can write in (or create): refused before anything is saved. */
async function refuseUnwritableFolder(service: SyncService, given: unknown): Promise<void> {
  if (typeof given !== 'string' || given.trim() === '') return;
  const check = await checkFolder(given);
  // An unchanged folder is not checked again: its drive may be unplugged while other settings change.
  if (check.folder === service.syncFolder || !check.problem) return;
  throw new SettingError('syncFolder', given, 'a folder you can save files in', check.problem, check.problem);
}

/** After a sign-in step: a ready session lets runs go on. */
async function afterSignInStep(service: SyncService, status: 'ready' | 'needs-code'): Promise<{ status: 'ready' | 'needs-code' }> {
  if (status === 'ready') await service.sessionReady();
  return { status };
}

const HANDLERS: Handlers = {
  'sync-now': async (service) => {
    if (!service.syncFolder || !service.databasePath) throw new UserError('CONFIG_INVALID', 'Choose your Apple ID and a sync folder in Settings first.');
    return service.scheduler.runNow();
  },
  pause: async (service, { until }) => {
    service.scheduler.pause(until === null ? null : Date.parse(until));
    return { until };
  },
  resume: async (service) => {
    service.scheduler.resume();
    return {};
  },
  'sign-in': async (service, { appleId, password }, source) => {
    // A run may be renewing the session right now: one sign-in step at a time.
    await service.scheduler.idle();
    if (service.settings?.appleId !== appleId) {
      saveSettings(service.settingsTarget, { appleId });
      service.reloadSettings();
    }
    const client = service.currentClient?.appleId === appleId ? service.currentClient : await service.openClient();
    const status = await service.signIn.signIn(client, password, source);
    await service.passwordSource?.remember?.(password);
    return afterSignInStep(service, status);
  },
  'request-code': async (service, { channel, phoneId }, source) => ({ sentTo: await service.signIn.requestCode(requireClient(service), channel, phoneId, source) }),
  'submit-code': async (service, { code }, source) => {
    try {
      return await afterSignInStep(service, await service.signIn.submitCode(requireClient(service), code, source));
    } finally {
      // A wrong code changes only the tries left, which no client state change announces.
      service.signInChanged();
    }
  },
  'sign-out': async (service) => {
    await service.signOut();
    return {};
  },
  'get-settings': async (service) => {
    service.reloadSettings();
    const loaded = service.loadedSettings;
    return { settings: describeSettings(loaded), configFile: loaded.configPath };
  },
  'save-settings': async (service, { values }) => {
    service.reloadSettings();
    const before = service.settings;
    await refuseUnwritableFolder(service, values.syncFolder);
    const saved = saveSettings(service.settingsTarget, values);
    const after = service.reloadSettings();
    // Choosing the folder in the app is its set-up step (the CLI's `setup`): mark it as ours.
    if (after?.syncFolder && after.syncFolder !== before?.syncFolder && service.syncFolder) setupSyncFolder(service.syncFolder);
    if (after?.appleId && after.appleId !== before?.appleId) await service.openClient();
    const wasReady = Boolean(before?.appleId && before.syncFolder);
    if (!wasReady && after?.appleId && after.syncFolder) service.scheduler.runSoon();
    return saved;
  },
  'check-folder': async (_service, { folder }) => checkFolder(folder),
  preview: async (service) => {
    const summary = await service.previewRun();
    const folder = service.syncFolder;
    const space = await statfs(folder && existsSync(folder) ? folder : service.paths.root);
    const counts = summary.counts;
    return {
      outcome: summary.outcome, errorCode: summary.errorCode,
      download: counts?.download ?? 0, downloadBytes: counts?.downloadBytes ?? 0, alreadyHave: counts?.alreadyHave ?? 0, recognised: counts?.adopt ?? 0,
      deletedLocally: counts?.deletedLocally ?? 0, filtered: counts?.filtered ?? 0,
      freeBytes: Number(space.bavail) * Number(space.bsize),
    };
  },
  'list-deleted': async (service) => {
    const path = requireDatabase(service);
    return { files: existsSync(path) ? listDeletedFiles(path).map(deletedView) : [] };
  },
  'restore-deleted': async (service, { targets }) => {
    const path = requireDatabase(service);
    const folder = service.syncFolder;
    const restored: TrackedFile[] = [];
    for (const target of targets) {
      const listed = (isAbsolute(target) && folder ? relative(folder, target) : target).replace(/\\/g, '/').replace(/^\.\//, '');
      const matches = restoreDeletedFile(path, listed);
      if (matches.length === 0) throw new UserError('CONFIG_INVALID', `No file marked as deleted matches "${target}".`);
      restored.push(...matches);
    }
    service.refreshTracker();
    return { restored: restored.map(deletedView) };
  },
  // Inside the run's job, so the tracker is written only when no other run of this service is going.
  'retry-attention': async (service) =>
    service.scheduler.runNow(() => {
      const path = service.databasePath;
      if (path) makeRetriesDueNow(path);
      return service.runOnce({});
    }),
  'confirm-deletions': async (service, { count }) => {
    const vanished = service.vanishedCount;
    if (vanished === null) throw new UserError('MASS_DELETION', 'No stop for vanished files is waiting for a confirmation.');
    if (count !== vanished) {
      throw new UserError('MASS_DELETION', `The last run found ${vanished} files gone, not ${count}: check the folder, then confirm ${vanished}.`);
    }
    return service.scheduler.runNow(() => service.runOnce({ confirmDeletions: count }));
  },
  'send-test': async (service, { channel }) => sendTest(service, channel),
  'notification-status': async (service) => notificationStatus(service),
  'save-notify-key': async (service, { name, value }) => saveNotifyKey(service, name, value),
  'archive-secrets': async (service) => archiveSecrets(service),
  'save-archive-secret': async (service, { name, value }) => saveArchiveSecret(service, name, value),
};
