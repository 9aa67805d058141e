/**
 * Pushover (https://pushover.net/api): a JSON POST to messages.json with the person's own
 * application token and user key, and users/validate.json for "Send test". A 4xx is the keys' or
 * the message's fault: not retried, shown naming the field. 429 is the monthly quota: shown with
 * the reset time from the X-Limit-App-Reset header. 5xx and network errors are retried.
 */
import { cut, networkProblem, requestSignal, serverProblem, type Notification, type NotificationChannel, type SendOutcome } from './channel.js';

export const PUSHOVER_API = 'https://api.pushover.net/1/';
/** The API's limits, in characters. */
export const PUSHOVER_LIMITS = { message: 1024, title: 250, url: 512, urlTitle: 100 } as const;
/** Application tokens and user (or group) keys: 30 letters and digits. */
export const PUSHOVER_KEY = /^[A-Za-z0-9]{30}$/;
export const PUSHOVER_SECRETS = { token: 'pushover-token', user: 'pushover-user' } as const;

const FIELD_NAMES: Record<string, string> = {
  token: `the Pushover application token (secret ${PUSHOVER_SECRETS.token})`,
  user: `the Pushover user key (secret ${PUSHOVER_SECRETS.user})`,
};

export interface PushoverKeys {
  token: string;
  user: string;
}

export class PushoverChannel implements NotificationChannel {
  readonly name = 'pushover' as const;

  constructor(
    private readonly keys: PushoverKeys,
    /** Tests pass a local fake's URL here, in code. */
    private readonly baseUrl: string = PUSHOVER_API,
  ) {}

  send(notification: Notification, signal: AbortSignal): Promise<SendOutcome> {
    const body: Record<string, string | number> = {
      token: this.keys.token,
      user: this.keys.user,
      title: cut(notification.title, PUSHOVER_LIMITS.title),
      message: cut(notification.message, PUSHOVER_LIMITS.message),
      priority: notification.urgent ? 1 : 0,
    };
    // A URL cannot be shortened without breaking it: a longer one is left out.
    if (notification.url && notification.url.length <= PUSHOVER_LIMITS.url) {
      body.url = notification.url;
      body.url_title = cut(notification.urlTitle, PUSHOVER_LIMITS.urlTitle);
    }
    if (notification.ttlSeconds !== null) body.ttl = notification.ttlSeconds;
    return this.post('messages.json', body, signal);
  }

  async test(signal: AbortSignal): Promise<SendOutcome> {
    const valid = await this.post('users/validate.json', { token: this.keys.token, user: this.keys.user }, signal);
    if (!valid.ok) return valid;
    return this.send({ episodeId: 'test', title: 'iCloud Photo Sync', message: 'Pushover is set up: nudges from iCloud Photo Sync will arrive here.', urgent: false, url: null, urlTitle: '', ttlSeconds: null }, signal);
  }

  private async post(path: string, body: Record<string, string | number>, signal: AbortSignal): Promise<SendOutcome> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: requestSignal(signal),
      });
    } catch (error) {
      return networkProblem('Pushover', error);
    }
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok && answer.status === 1) return { ok: true };
    if (response.status === 429) return quotaProblem(response.headers);
    if (response.status >= 500) return serverProblem('Pushover', response.status);
    return { ok: false, retry: false, problem: refusal(answer, response.status) };
  }
}

function quotaProblem(headers: Headers): SendOutcome {
  const reset = Number(headers.get('x-limit-app-reset'));
  const resetsAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : undefined;
  const limit = headers.get('x-limit-app-limit');
  const when = resetsAt ? ` until ${resetsAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  return {
    ok: false,
    retry: false,
    problem: { message: `The Pushover application has used its monthly messages${limit ? ` (${limit})` : ''}: nothing more can be sent${when}.`, ...(resetsAt ? { resetsAt } : {}) },
  };
}

/** Pushover names the field it refuses with the value "invalid" (e.g. "user": "invalid"). */
function refusal(answer: Record<string, unknown>, status: number): { message: string; field?: string } {
  const field = ['token', 'user'].find((name) => answer[name] === 'invalid');
  const errors = Array.isArray(answer.errors) ? answer.errors.filter((e): e is string => typeof e === 'string') : [];
  const said = errors.length ? errors.join('; ') : `HTTP ${status}`;
  if (field) return { message: `Pushover refused ${FIELD_NAMES[field]}: ${said}. Check it and save it again.`, field: PUSHOVER_SECRETS[field as 'token' | 'user'] };
  return { message: `Pushover refused the notification: ${said}.` };
}
