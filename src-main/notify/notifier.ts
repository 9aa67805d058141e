/**
 * The notifier: turns the sync service's states and run endings into episodes (episodes.ts), each
 * announced once, reminded on time and closed when resolved. Episodes and the failure count live in
 * notify-episodes.json in the data folder, so a restarted app or daemon does not announce again.
 * Sending never blocks the caller (delivery.ts). Never imports electron.
 */
import { join } from 'node:path';
import type { ErrorCode } from '../../src-shared/errors.js';
import type { AppSnapshot } from '../../src-shared/snapshot.js';
import type { Clock } from '../app/clock.js';
import { NEEDS_SIGN_IN } from '../app/scheduler.js';
import type { Logger } from '../log/logger.js';
import { CHANNEL_NAMES, type ChannelName, type ChannelProblem, type SendOutcome } from './channels/channel.js';
import { Delivery, type ChannelStatus } from './delivery.js';
import { STOP_EPISODES, describe, type EpisodeKind, type OpenEpisode, type Stage } from './episodes.js';
import { LinkTokenStore } from './link-tokens.js';
import { buildChannel, type ChannelSources, type NotifyConfig } from './notify-settings.js';
import { isRecord, readStateFile, writeStateFile } from './state-file.js';

export const EPISODES_FILE = 'notify-episodes.json';
/** How long a notification's link opens the page. */
export const LINK_TTL_MS = 24 * 3600_000;
const DAY_MS = 24 * 3600_000;
const SIGN_IN_KINDS: EpisodeKind[] = ['code-needed', 'password-needed'];
/** Episodes a run that reached the end of the listing resolves. */
const RESOLVED_BY_A_COMPLETE_RUN: EpisodeKind[] = ['sync-failing', 'folder-missing', 'mass-deletion', 'disk-full', ...SIGN_IN_KINDS];

interface Failures {
  /** Failed runs in a row (stops with an episode of their own and sign-in stops do not count). */
  runs: number;
  firstAt: number | null;
  lastEndAt: number | null;
  reason: ErrorCode | null;
}

interface NotifierState {
  episodes: OpenEpisode[];
  failures: Failures;
}

function emptyState(): NotifierState {
  return { episodes: [], failures: { runs: 0, firstAt: null, lastEndAt: null, reason: null } };
}

function isState(value: unknown): value is NotifierState {
  return isRecord(value) && Array.isArray(value.episodes) && isRecord(value.failures);
}

export interface RunEnd {
  code: ErrorCode | null;
  /** The run listed the whole library (a success, or a partial run whose failures need attention). */
  reachedEnd: boolean;
}

export interface NotifierOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** The current notification settings; null while the settings are invalid (nothing is sent). */
  config: () => NotifyConfig | null;
  channels: ChannelSources;
  /**
   * The host makes sure the local page is served while an episode with a link is open (starting
   * the web server if needed) and returns its base URL, or a promise of it while the page starts
   * (the notification waits for it); null when it has no page to offer.
   */
  page?: (needed: boolean) => string | null | Promise<string | null>;
}

export class Notifier {
  readonly links: LinkTokenStore;
  private readonly delivery: Delivery;
  private readonly path: string;
  private state: NotifierState;
  private trustEndsAt: number | null = null;
  private cancelTimer: (() => void) | null = null;
  private stopped = false;
  /** The state changed since it was last written (snapshots come several times a second during a run). */
  private dirty = false;

  constructor(private readonly options: NotifierOptions) {
    this.path = join(options.dataDir, EPISODES_FILE);
    this.state = readStateFile(this.path, emptyState(), isState);
    this.links = new LinkTokenStore(options.dataDir, options.clock);
    this.delivery = new Delivery(options.clock, options.logger);
  }

  /** The episodes open now (for views and tests). */
  get openEpisodes(): readonly OpenEpisode[] {
    return this.state.episodes;
  }

  /** Reads the service's snapshot: a sign-in needed, the trust end. */
  observe(snapshot: AppSnapshot): void {
    if (this.stopped) return;
    const now = this.options.clock.now();
    if (snapshot.state === 'needs-you') {
      const kind = snapshot.errorCode === 'CODE_REQUIRED' ? 'code-needed' : 'password-needed';
      // A password answered that now needs a code: the code is urgent and is announced on its own.
      if (kind === 'code-needed') this.close('password-needed');
      if (!this.isOpen(...SIGN_IN_KINDS)) this.open(kind, now);
    } else if (snapshot.signIn.status === 'ready') {
      this.close(...SIGN_IN_KINDS);
    }
    if (snapshot.state === 'not-set-up') {
      // Signed out on purpose, or not set up: nothing of the account's sign-in to warn about.
      this.close('trust-expiring', ...SIGN_IN_KINDS);
      this.trustEndsAt = null;
    } else if (snapshot.trustEndsAt) {
      this.trustEndsAt = Date.parse(snapshot.trustEndsAt);
    }
    this.evaluate();
  }

  /** Every run's end, also a run that stopped before the engine began (network, sign-in). */
  runEnded(run: RunEnd): void {
    if (this.stopped) return;
    const now = this.options.clock.now();
    const failures = this.state.failures;
    const ownEpisode = run.code ? STOP_EPISODES[run.code] : undefined;
    if (run.reachedEnd) {
      this.state.failures = { runs: 0, firstAt: null, lastEndAt: now, reason: null };
      this.close(...RESOLVED_BY_A_COMPLETE_RUN);
    } else if (ownEpisode) {
      if (!this.isOpen(ownEpisode)) this.open(ownEpisode, now);
    } else if (run.code === null || (!NEEDS_SIGN_IN.has(run.code) && run.code !== 'ALREADY_RUNNING' && run.code !== 'INTERRUPTED')) {
      // A run stopped on request (Quit, Ctrl-C) or held by another process is no failure.
      this.state.failures = { ...failures, runs: failures.runs + 1, firstAt: failures.firstAt ?? now, reason: run.code };
    }
    this.dirty = true;
    this.evaluate();
  }

  /** "Send test" from Settings: checks the keys (Pushover's users/validate) and sends a test. */
  async sendTest(name: ChannelName): Promise<SendOutcome> {
    const config = this.options.config();
    if (!config) return { ok: false, retry: false, problem: { message: 'The settings are not valid: fix them first.' } };
    const built = buildChannel(name, config, this.options.channels);
    if (!built.ok) return { ok: false, retry: false, problem: built.problem };
    return this.delivery.test(built.channel);
  }

  /** The chosen channels that cannot send as configured (a key or the topic missing), for a host to say at start. */
  channelProblems(): Array<{ channel: ChannelName; problem: ChannelProblem }> {
    const config = this.options.config();
    if (!config) return [];
    return config.channels.flatMap((channel) => {
      const built = buildChannel(channel, config, this.options.channels);
      return built.ok ? [] : [{ channel, problem: built.problem }];
    });
  }

  /** The last outcome of each channel (Settings shows a refusal or a quota with its reset time). */
  channelStatuses(): Record<ChannelName, ChannelStatus | null> {
    return Object.fromEntries(CHANNEL_NAMES.map((name) => [name, this.delivery.status(name)])) as Record<ChannelName, ChannelStatus | null>;
  }

  /** Waits for the notifications in flight (tests, an orderly stop). */
  idle(): Promise<void> {
    return this.delivery.idle();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.delivery.stop();
  }

  /** Opens what is due, sends the stages that fell due, and arms one timer for the next. */
  private evaluate(): void {
    const now = this.options.clock.now();
    const config = this.options.config();
    if (!config) {
      this.save();
      return;
    }
    this.trackTrust(now, config);
    this.trackFailures(now, config);
    for (const episode of this.state.episodes) {
      for (const stage of this.dueStages(episode, now, config)) {
        episode.sent.push(stage);
        this.dirty = true;
        this.announce(episode, stage, config);
      }
    }
    this.save();
    // Only the phone channels carry a link to the page (the desktop one opens the app's window).
    const remote = config.channels.some((channel) => channel !== 'desktop');
    void this.options.page?.(remote && this.state.episodes.length > 0);
    this.armTimer(now, config);
  }

  private trackTrust(now: number, config: NotifyConfig): void {
    const end = this.trustEndsAt;
    for (const episode of this.state.episodes.filter((e) => e.kind === 'trust-expiring')) {
      // A new sign-in moved the end, or trust has ended (the sign-in episode takes over). An end not
      // known yet (a restart before the session was read) closes nothing.
      if (end !== null && (episode.trustEndsAt !== end || now >= end)) this.closeEpisode(episode);
      else if (end === null && episode.trustEndsAt !== undefined && now >= episode.trustEndsAt) this.closeEpisode(episode);
    }
    if (end !== null && now < end && now >= end - config.trustWarningDays * DAY_MS && !this.isOpen('trust-expiring')) {
      this.open('trust-expiring', now, { id: `trust-expiring:${new Date(end).toISOString()}`, trustEndsAt: end });
    }
  }

  private trackFailures(now: number, config: NotifyConfig): void {
    const failures = this.state.failures;
    const open = this.state.episodes.find((e) => e.kind === 'sync-failing');
    if (open) {
      if (open.reason !== failures.reason) this.dirty = true;
      open.reason = failures.reason;
      return;
    }
    const since = failures.lastEndAt ?? failures.firstAt;
    if (failures.runs === 0 || since === null) return;
    if (failures.runs >= config.failureRuns || now - since >= config.failureHours * 3600_000) {
      this.open('sync-failing', now, { reason: failures.reason, since });
    }
  }

  private dueStages(episode: OpenEpisode, now: number, config: NotifyConfig): Stage[] {
    const due: Stage[] = [];
    if (episode.kind === 'trust-expiring' && episode.trustEndsAt !== undefined && now >= episode.trustEndsAt - DAY_MS) {
      // Found only on the last day: one nudge, the last-day one.
      if (!episode.sent.includes('announce')) {
        episode.sent.push('announce');
        this.dirty = true;
      }
      if (!episode.sent.includes('last-day')) due.push('last-day');
      return due;
    }
    if (!episode.sent.includes('announce')) due.push('announce');
    else if (SIGN_IN_KINDS.includes(episode.kind) && !episode.sent.includes('reminder') && now >= episode.openedAt + config.reminderMs) due.push('reminder');
    return due;
  }

  /** The next moment something can fall due without a new state: a reminder, a trust stage, the failure hours. */
  private armTimer(now: number, config: NotifyConfig): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    const times: number[] = [];
    for (const episode of this.state.episodes) {
      if (SIGN_IN_KINDS.includes(episode.kind) && !episode.sent.includes('reminder')) times.push(episode.openedAt + config.reminderMs);
    }
    const end = this.trustEndsAt;
    if (end !== null) times.push(end - config.trustWarningDays * DAY_MS, end - DAY_MS, end);
    const failures = this.state.failures;
    const since = failures.lastEndAt ?? failures.firstAt;
    if (failures.runs > 0 && since !== null && !this.isOpen('sync-failing')) times.push(since + config.failureHours * 3600_000);
    const next = Math.min(...times.filter((time) => time > now));
    if (Number.isFinite(next)) this.cancelTimer = this.options.clock.at(next, () => this.evaluate());
  }

  private announce(episode: OpenEpisode, stage: Stage, config: NotifyConfig): void {
    // Desktop notifications carry no link: they must not start the page (the tray app would flash it on and off).
    const remote = config.channels.some((channel) => channel !== 'desktop');
    const base = config.publicUrl ?? (remote ? this.options.page?.(true) : null) ?? null;
    if (typeof base === 'string' || base === null) this.send(episode, stage, config, base);
    else void base.then((url) => this.send(episode, stage, config, url));
  }

  private send(episode: OpenEpisode, stage: Stage, config: NotifyConfig, base: string | null): void {
    const text = describe(episode, stage, this.options.clock.now());
    let sent = 0;
    for (const name of config.channels) {
      const built = buildChannel(name, config, this.options.channels);
      if (!built.ok) {
        this.options.logger.warn({ channel: name, episode: episode.id, field: built.problem.field }, `${name} notification not sent: ${built.problem.message}`);
        continue;
      }
      // Each notification carries a link token of its own.
      const url = base ? `${base}/link/${this.links.issue({ episodeId: episode.id, kind: episode.kind }, LINK_TTL_MS)}` : null;
      const ttlSeconds = episode.kind === 'code-needed' ? Math.round(config.reminderMs / 1000) : null;
      this.delivery.deliver(built.channel, { episodeId: episode.id, title: text.title, message: text.message, urgent: text.urgent, url, urlTitle: text.linkTitle, ttlSeconds });
      sent++;
    }
    this.options.logger.info({ episode: episode.id, stage, channels: sent }, `notification "${text.title}" (${stage}) to ${sent} channel${sent === 1 ? '' : 's'}`);
  }

  private open(kind: EpisodeKind, now: number, extra: Partial<OpenEpisode> = {}): void {
    const episode: OpenEpisode = { id: `${kind}:${new Date(now).toISOString()}`, kind, openedAt: now, sent: [], ...extra };
    this.state.episodes.push(episode);
    this.options.logger.info({ episode: episode.id }, `episode opened: ${kind}`);
    this.dirty = true;
  }

  private close(...kinds: EpisodeKind[]): void {
    for (const episode of this.state.episodes.filter((e) => kinds.includes(e.kind))) this.closeEpisode(episode);
  }

  private closeEpisode(episode: OpenEpisode): void {
    this.state.episodes = this.state.episodes.filter((e) => e !== episode);
    this.links.revokeEpisode(episode.id);
    this.options.logger.info({ episode: episode.id }, `episode closed: ${episode.kind}`);
    this.dirty = true;
  }

  private isOpen(...kinds: EpisodeKind[]): boolean {
    return this.state.episodes.some((e) => kinds.includes(e.kind));
  }

  private save(): void {
    if (!this.dirty) return;
    writeStateFile(this.path, this.state);
    this.dirty = false;
  }
}
