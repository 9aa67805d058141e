/**
 * The notifier's settings (from config.json through the settings schema) and its channels, built
 * fresh for each notification so a changed setting or key applies at once. Keys come only from
 * the service's secrets store (secrets.json or ICLOUD_PHOTO_SYNC_* variables).
 */
import type { SecretsStore } from '../config/secrets-store.js';
import { durationSeconds, type Settings } from '../config/settings.js';
import type { ChannelName, ChannelProblem, NotificationChannel } from './channels/channel.js';
import { DesktopChannel, type DesktopNotifier } from './channels/desktop.js';
import { NTFY_TOKEN_SECRET, NtfyChannel } from './channels/ntfy.js';
import { PUSHOVER_API, PUSHOVER_KEY, PUSHOVER_SECRETS, PushoverChannel } from './channels/pushover.js';

export interface NotifyConfig {
  channels: ChannelName[];
  reminderMs: number;
  trustWarningDays: number;
  failureRuns: number;
  failureHours: number;
  publicUrl: string | null;
  ntfyServer: string;
  ntfyTopic: string | null;
}

export function notifyConfigOf(settings: Settings): NotifyConfig {
  return {
    channels: settings.notifyChannels,
    reminderMs: durationSeconds(settings.notifyReminder) * 1000,
    trustWarningDays: settings.trustWarningDays,
    failureRuns: settings.failureRuns,
    failureHours: settings.failureHours,
    publicUrl: settings.publicUrl?.replace(/\/+$/, '') ?? null,
    ntfyServer: settings.ntfyServer,
    ntfyTopic: settings.ntfyTopic ?? null,
  };
}

/** Where the channels send; tests pass local fakes here, in code (never through the environment). */
export interface ChannelEndpoints {
  pushover?: string;
}

export interface ChannelSources {
  secrets: SecretsStore;
  desktop: DesktopNotifier | null;
  endpoints: ChannelEndpoints;
}

export type BuiltChannel = { ok: true; channel: NotificationChannel } | { ok: false; problem: ChannelProblem };

/** The channel `name` as configured now, or why it cannot send (a key missing or malformed). */
export function buildChannel(name: ChannelName, config: NotifyConfig, sources: ChannelSources): BuiltChannel {
  switch (name) {
    case 'desktop':
      return sources.desktop
        ? { ok: true, channel: new DesktopChannel(sources.desktop) }
        : { ok: false, problem: { message: 'Desktop notifications are shown by the tray app; this process has none.' } };
    case 'pushover': {
      const token = sources.secrets.get(PUSHOVER_SECRETS.token);
      const user = sources.secrets.get(PUSHOVER_SECRETS.user);
      for (const [field, value] of [[PUSHOVER_SECRETS.token, token], [PUSHOVER_SECRETS.user, user]] as const) {
        if (!value) return { ok: false, problem: { message: `No ${field} is set: run "icloud-photo-sync secret set ${field}" or enter it in Settings.`, field } };
        if (!PUSHOVER_KEY.test(value)) return { ok: false, problem: { message: `The saved ${field} is not 30 letters and digits: set it again.`, field } };
      }
      return { ok: true, channel: new PushoverChannel({ token: token!, user: user! }, sources.endpoints.pushover ?? PUSHOVER_API) };
    }
    case 'ntfy':
      if (!config.ntfyTopic) return { ok: false, problem: { message: 'No ntfy topic is set (setting ntfyTopic).', field: 'ntfyTopic' } };
      return { ok: true, channel: new NtfyChannel({ server: config.ntfyServer, topic: config.ntfyTopic, token: sources.secrets.get(NTFY_TOKEN_SECRET) }) };
  }
}
