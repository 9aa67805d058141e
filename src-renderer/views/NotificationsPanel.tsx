import { useEffect, useState } from 'react';
import type { AppBridge, CommandResult } from '../../src-shared/contract.js';
import { useCommand } from '../hooks/use-command.js';
import { SecretForm } from './SecretForm.js';

type Status = CommandResult<'notification-status'>['channels'][number];
type KeyName = Status['keys'][number]['name'];

const KEY_LABEL: Record<KeyName, string> = {
  'pushover-token': 'Pushover application token',
  'pushover-user': 'Pushover user key',
  'ntfy-token': 'ntfy access token (protected topics only)',
};
const CHANNEL_LABEL: Record<Status['channel'], string> = { desktop: 'Desktop', pushover: 'Pushover', ntfy: 'ntfy' };

/** What the last delivery or test of a channel said, in plain words. */
function statusLine(status: Pick<Status, 'ok' | 'message' | 'field'>): string {
  if (status.ok) return 'Working.';
  return status.field ? `${status.message} (check ${status.field})` : status.message;
}

/**
 * The notification keys (stored in the service's secrets file: a key is typed, saved, and never
 * shown again, only whether it is set) and each channel's status with "Send test". The channel
 * list, reminder, warning days, public URL and ntfy server/topic are ordinary settings (the form above).
 */
export function NotificationsPanel({ bridge }: { bridge: AppBridge }) {
  const [channels, setChannels] = useState<Status[] | null>(null);
  const [tested, setTested] = useState<Partial<Record<Status['channel'], string>>>({});
  const { send, busy, error } = useCommand(bridge);

  const refresh = () =>
    send({ type: 'notification-status' }).then((reply) => {
      if (reply?.ok) setChannels(reply.result.channels);
    });
  useEffect(() => {
    void send({ type: 'notification-status' }).then((reply) => {
      if (reply?.ok) setChannels(reply.result.channels);
    });
  }, [send]);

  const saveKey = async (name: KeyName, value: string | null): Promise<boolean> => {
    const reply = await send({ type: 'save-notify-key', name, value });
    if (!reply?.ok) return false;
    await refresh();
    return true;
  };
  const test = async (channel: Status['channel']) => {
    const reply = await send({ type: 'send-test', channel });
    if (reply?.ok) setTested((before) => ({ ...before, [channel]: reply.result.ok ? 'Test sent.' : statusLine(reply.result) }));
    await refresh();
  };

  return (
    <div className="panel" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      {channels === null && <p>Loading…</p>}
      {channels?.map((status) => (
        <section key={status.channel} aria-label={`${CHANNEL_LABEL[status.channel]} notifications`} className="field">
          <h3>
            {CHANNEL_LABEL[status.channel]} {status.enabled ? '(on)' : '(off: check it under Notification channels above)'}
          </h3>
          {status.at && <p className="hint">{statusLine(status)}</p>}
          {status.keys.map((key) => (
            <SecretForm key={key.name} name={key.name} label={KEY_LABEL[key.name]} set={key.set} busy={busy} storeLabel="Store key" removeLabel="Remove key" onSave={(value) => saveKey(key.name, value)} />
          ))}
          <button type="button" disabled={busy} onClick={() => void test(status.channel)}>
            Send test ({CHANNEL_LABEL[status.channel]})
          </button>
          {tested[status.channel] && <p role="status">{tested[status.channel]}</p>}
        </section>
      ))}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </div>
  );
}
