/**
 * The service's notification commands (Settings > Notifications): "Send test", each channel's last
 * delivery, and storing a key in secrets.json. A key's value is never sent back to a view.
 */
import type { ChannelReport, CommandResult, NotifyChannel } from '../../src-shared/commands.js';
import type { ChannelProblem } from '../notify/channels/channel.js';
import type { SyncService } from './sync-service.js';

const KEYS_OF: Record<NotifyChannel, Array<'pushover-token' | 'pushover-user' | 'ntfy-token'>> = {
  desktop: [],
  pushover: ['pushover-token', 'pushover-user'],
  ntfy: ['ntfy-token'],
};

function report(problem: ChannelProblem | null): ChannelReport {
  return { ok: problem === null, message: problem?.message ?? '', field: problem?.field ?? null, resetsAt: problem?.resetsAt ?? null };
}

export async function sendTest(service: SyncService, channel: NotifyChannel): Promise<CommandResult<'send-test'>> {
  const outcome = await service.notifier.sendTest(channel);
  return report(outcome.ok ? null : outcome.problem);
}

export function notificationStatus(service: SyncService): CommandResult<'notification-status'> {
  const statuses = service.notifier.channelStatuses();
  const enabled = service.settings?.notifyChannels ?? [];
  const secrets = service.secrets;
  return {
    channels: (['desktop', 'pushover', 'ntfy'] as const).map((channel) => {
      const status = statuses[channel];
      return {
        channel,
        enabled: enabled.includes(channel),
        at: status ? new Date(status.at).toISOString() : null,
        ...report(status?.problem ?? null),
        keys: KEYS_OF[channel].map((name) => ({ name, set: secrets.sourceOf(name) !== null })),
      };
    }),
  };
}

export function saveNotifyKey(service: SyncService, name: 'pushover-token' | 'pushover-user' | 'ntfy-token', value: string | null): CommandResult<'save-notify-key'> {
  const secrets = service.secrets;
  if (value === null) secrets.clear(name);
  else secrets.set(name, value);
  return { name, set: secrets.sourceOf(name) !== null };
}
