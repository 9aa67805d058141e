/**
 * ntfy (https://docs.ntfy.sh/publish/): a POST to <server>/<topic> with the title, priority and
 * click URL as headers and an optional access token. Topics on a public server can be read by
 * anyone who knows the name, so the message carries the link and nothing more.
 */
import { cut, networkProblem, requestSignal, serverProblem, type Notification, type NotificationChannel, type SendOutcome } from './channel.js';

export const NTFY_SERVER = 'https://ntfy.sh';
export const NTFY_TOKEN_SECRET = 'ntfy-token';
/** ntfy's own topic rule: 1 to 64 letters, digits, "-" and "_". */
export const NTFY_TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

export interface NtfyTarget {
  server: string;
  topic: string;
  token?: string | undefined;
}

export class NtfyChannel implements NotificationChannel {
  readonly name = 'ntfy' as const;

  constructor(private readonly target: NtfyTarget) {}

  send(notification: Notification, signal: AbortSignal): Promise<SendOutcome> {
    const headers: Record<string, string> = {
      // Header values are ASCII: the titles are ours and plain; anything else becomes "?".
      title: cut(notification.title, 200).replace(/[^\x20-\x7e]/g, '?'),
      priority: notification.urgent ? 'high' : 'default',
    };
    if (notification.url) headers.click = notification.url;
    return this.post(notification.url ?? 'Open iCloud Photo Sync on your computer.', headers, signal);
  }

  test(signal: AbortSignal): Promise<SendOutcome> {
    return this.post('ntfy is set up: nudges from iCloud Photo Sync will arrive here.', { title: 'iCloud Photo Sync' }, signal);
  }

  private async post(body: string, headers: Record<string, string>, signal: AbortSignal): Promise<SendOutcome> {
    if (this.target.token) headers.authorization = `Bearer ${this.target.token}`;
    let response: Response;
    try {
      const url = `${this.target.server.replace(/\/+$/, '')}/${encodeURIComponent(this.target.topic)}`;
      response = await fetch(url, { method: 'POST', headers, body, signal: requestSignal(signal) });
    } catch (error) {
      return networkProblem('the ntfy server', error);
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { ok: true };
    if (response.status >= 500) return serverProblem('The ntfy server', response.status);
    if (response.status === 401 || response.status === 403) {
      return { ok: false, retry: false, problem: { message: `The ntfy server refused the access token (secret ${NTFY_TOKEN_SECRET}) for this topic (HTTP ${response.status}). Check the token and the topic's access rights.`, field: NTFY_TOKEN_SECRET } };
    }
    if (response.status === 429) return { ok: false, retry: false, problem: { message: 'The ntfy server says too many messages were sent: it accepts more later.' } };
    return { ok: false, retry: false, problem: { message: `The ntfy server refused the message (HTTP ${response.status}). Check the server and topic settings (ntfyServer, ntfyTopic).`, field: 'ntfyTopic' } };
  }
}
