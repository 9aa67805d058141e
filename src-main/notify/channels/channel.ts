/**
 * One interface for every way a notification leaves the machine (Pushover, ntfy, the desktop).
 * A channel sends one notification and says whether a failure is worth retrying; the delivery
 * queue (../delivery.ts) does the retrying, off the sync's path.
 */
export const CHANNEL_NAMES = ['desktop', 'pushover', 'ntfy'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface Notification {
  episodeId: string;
  title: string;
  message: string;
  /** A code is needed now. */
  urgent: boolean;
  /** The page that answers the episode, with the notification's own link token; null without a page. */
  url: string | null;
  urlTitle: string;
  /** How long the nudge is worth showing (a code request); null: no limit. */
  ttlSeconds: number | null;
}

/** Why a channel could not deliver, in plain words for Settings. */
export interface ChannelProblem {
  message: string;
  /** The setting or secret to fix, e.g. "pushover-user". */
  field?: string;
  /** For a quota: when sending works again (ISO time). */
  resetsAt?: string;
}

export type SendOutcome = { ok: true } | { ok: false; retry: boolean; problem: ChannelProblem };

export interface NotificationChannel {
  readonly name: ChannelName;
  send(notification: Notification, signal: AbortSignal): Promise<SendOutcome>;
  /** "Send test": checks the keys where the service allows it, then sends a test notification. */
  test(signal: AbortSignal): Promise<SendOutcome>;
}

/** How long one request may take before it counts as a network error (and is retried). */
export const REQUEST_TIMEOUT_MS = 30_000;

export function requestSignal(signal: AbortSignal): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
}

/** A network failure or a timeout: worth retrying, said without the request's details. */
export function networkProblem(service: string, error: unknown): SendOutcome {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return { ok: false, retry: true, problem: { message: timedOut ? `${service} did not answer in time.` : `Cannot reach ${service}: check the internet connection.` } };
}

export function serverProblem(service: string, status: number): SendOutcome {
  return { ok: false, retry: true, problem: { message: `${service} answered with a server error (HTTP ${status}); trying again later.` } };
}

export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
