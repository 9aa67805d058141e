/**
 * Sends notifications off the sync's path: `deliver()` returns at once, the request runs in the
 * background, 5xx and network errors are retried no sooner than 5 s with doubling waits (on the
 * service's clock), 4xx and quota refusals are not. The last outcome per channel is kept for
 * Settings. Logs name the channel and the episode, never a key, a token or a link.
 */
import type { Clock } from '../app/clock.js';
import type { Logger } from '../log/logger.js';
import type { ChannelName, ChannelProblem, Notification, NotificationChannel, SendOutcome } from './channels/channel.js';

export const FIRST_RETRY_MS = 5_000;
export const MAX_TRIES = 5;

export interface ChannelStatus {
  at: number;
  ok: boolean;
  problem: ChannelProblem | null;
}

export class Delivery {
  private readonly aborts = new AbortController();
  private readonly timers = new Set<() => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly statuses = new Map<ChannelName, ChannelStatus>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Starts sending; never waits, never throws. */
  deliver(channel: NotificationChannel, notification: Notification): void {
    this.attempt(channel, notification, 1);
  }

  /** The last outcome of each channel that sent something. */
  status(channel: ChannelName): ChannelStatus | null {
    return this.statuses.get(channel) ?? null;
  }

  /** "Send test": waits for the answer (the person pressed a button and waits for it). */
  async test(channel: NotificationChannel): Promise<SendOutcome> {
    const outcome = await channel.test(this.aborts.signal).catch((error: unknown) => unexpected(error));
    this.record(channel.name, outcome);
    return outcome;
  }

  /** Waits for the requests in flight (tests; a host's orderly stop). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** Gives up every request in flight and every retry not yet due. */
  stop(): void {
    this.aborts.abort();
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  private attempt(channel: NotificationChannel, notification: Notification, tries: number): void {
    if (this.aborts.signal.aborted) return;
    const sending = channel
      .send(notification, this.aborts.signal)
      .catch((error: unknown) => unexpected(error))
      .then((outcome) => this.settled(channel, notification, tries, outcome));
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  private settled(channel: NotificationChannel, notification: Notification, tries: number, outcome: SendOutcome): void {
    if (this.aborts.signal.aborted) return;
    this.record(channel.name, outcome);
    const where = { channel: channel.name, episode: notification.episodeId, tries };
    if (outcome.ok) {
      this.logger.info(where, `notification sent by ${channel.name}`);
      return;
    }
    if (!outcome.retry || tries >= MAX_TRIES) {
      this.logger.warn({ ...where, field: outcome.problem.field }, `${channel.name} notification not sent: ${outcome.problem.message}`);
      return;
    }
    const waitMs = FIRST_RETRY_MS * 2 ** (tries - 1);
    this.logger.info(where, `${channel.name} notification not sent yet (${outcome.problem.message}); trying again in ${waitMs / 1000} s`);
    const cancel = this.clock.at(this.clock.now() + waitMs, () => {
      this.timers.delete(cancel);
      this.attempt(channel, notification, tries + 1);
    });
    this.timers.add(cancel);
  }

  private record(name: ChannelName, outcome: SendOutcome): void {
    this.statuses.set(name, { at: this.clock.now(), ok: outcome.ok, problem: outcome.ok ? null : outcome.problem });
  }
}

/** A bug in a channel must not take the service down: it counts as a failure worth one more try. */
function unexpected(error: unknown): SendOutcome {
  return { ok: false, retry: true, problem: { message: `The notification failed unexpectedly (${error instanceof Error ? error.name : 'error'}).` } };
}
