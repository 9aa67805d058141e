/**
 * When runs happen, for one account: the next run as a wall-clock time, a first run shortly after
 * start, never two runs at once, Apple's throttling waited out, no run while a sign-in is needed, a
 * pause that survives a restart, catchUp() after the machine slept, and a sync held by another
 * process (the CLI) shown as a state and checked again a minute later. It knows nothing of iCloud:
 * a run is a function that reports its catalogue code.
 */
import type { ErrorCode } from '../../src-shared/errors.js';
import { errorCodeOf } from '../../src-shared/errors.js';
import { THROTTLE_DEFAULT_WAIT_MS } from '../icloud/backoff.js';
import type { Clock } from './clock.js';
import type { Pause, PauseStore } from './pause-store.js';

export interface RunResult {
  code: ErrorCode | null;
  /** When Apple said to come back (ms since the epoch), if it did. */
  retryAfter: number | null;
}

export type Job = () => Promise<RunResult>;

/** Stops that only a new sign-in ends: scheduled runs wait for it instead of knocking at Apple. */
export const NEEDS_SIGN_IN: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'AUTH_REQUIRED', 'CODE_REQUIRED', 'PASSWORD_REQUIRED', 'WRONG_PASSWORD', 'APP_SPECIFIC_PASSWORD', 'CODE_LOCKED', 'ACCOUNT_LOCKED',
]);

export const FIRST_RUN_DELAY_MS = 10_000;
/** How soon to look again when another process holds the run lock. */
export const ELSEWHERE_RECHECK_MS = 60_000;

export interface ScheduleState {
  running: boolean;
  nextRunAt: number | null;
  pause: Pause | null;
  throttledUntil: number | null;
  waitingForSignIn: boolean;
  runningElsewhere: boolean;
  lastResult: RunResult | null;
}

export type RunRequest = { started: true; reason: null } | { started: false; reason: 'already-running' | 'running-elsewhere' | 'needs-sign-in' | 'throttled' };

export interface SchedulerOptions {
  clock: Clock;
  /** The scheduled run. */
  run: Job;
  pauses: PauseStore;
  intervalMs: number;
  firstRunDelayMs?: number;
}

/**
 * How long to stay away after a throttled run, in ms from now: until Apple's Retry-After and never
 * less than our default, so a short interval never knocks again while Apple is throttling.
 */
export function throttleWaitMs(code: ErrorCode | null, retryAfter: Date | null, now = Date.now()): number {
  if (code !== 'THROTTLED' && !retryAfter) return 0;
  return Math.max(THROTTLE_DEFAULT_WAIT_MS, retryAfter ? retryAfter.getTime() - now : 0);
}

export class Scheduler {
  private readonly clock: Clock;
  private intervalMs: number;
  private readonly firstRunDelayMs: number;
  private state: ScheduleState = {
    running: false, nextRunAt: null, pause: null, throttledUntil: null, waitingForSignIn: false, runningElsewhere: false, lastResult: null,
  };
  private stopped = true;
  private lastEndedAt: number | null = null;
  private cancelTimer: (() => void) | null = null;
  private current: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock;
    this.intervalMs = options.intervalMs;
    this.firstRunDelayMs = options.firstRunDelayMs ?? FIRST_RUN_DELAY_MS;
  }

  get snapshot(): ScheduleState {
    return { ...this.state };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the stored pause and plans the first run shortly after now. */
  start(): void {
    this.stopped = false;
    this.state.pause = this.options.pauses.read();
    this.state.nextRunAt = this.clock.now() + this.firstRunDelayMs;
    this.tick();
  }

  /** No more runs; resolves when the run in progress (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    await this.current;
  }

  /** Resolves when no run is going (at once when none is). */
  async idle(): Promise<void> {
    await this.current;
  }

  /** A new interval counts from the end of the last run. */
  setIntervalMs(ms: number): void {
    if (ms === this.intervalMs) return;
    this.intervalMs = ms;
    const { nextRunAt, throttledUntil, runningElsewhere } = this.state;
    if (this.lastEndedAt !== null && nextRunAt !== null && throttledUntil === null && !runningElsewhere) this.state.nextRunAt = this.lastEndedAt + ms;
    if (!this.stopped) this.tick();
  }

  /** A run now (the person asked): `job` defaults to the scheduled run. Never a second one at once. */
  runNow(job: Job = this.options.run): RunRequest {
    if (this.state.running) return { started: false, reason: 'already-running' };
    // Looked at again every minute; until then "sync now" would only meet the same lock.
    if (this.state.runningElsewhere) return { started: false, reason: 'running-elsewhere' };
    if (this.state.waitingForSignIn) return { started: false, reason: 'needs-sign-in' };
    if (this.state.throttledUntil !== null && this.state.throttledUntil > this.clock.now()) return { started: false, reason: 'throttled' };
    this.launch(job);
    return { started: true, reason: null };
  }

  /** The host calls this on wake from sleep: one run if one was due while asleep, never two. */
  catchUp(): void {
    if (!this.stopped) this.tick();
  }

  /** Scheduled runs stop until `until` (null: until resumed); a run in progress finishes. */
  pause(until: number | null): void {
    this.state.pause = { until };
    this.options.pauses.write(this.state.pause);
    this.arm();
    this.changed();
  }

  resume(): void {
    this.state.pause = null;
    this.options.pauses.write(null);
    this.tick();
  }

  /** A sign-in succeeded: runs may go on, the first one shortly. */
  signedIn(): void {
    this.state.waitingForSignIn = false;
    this.state.throttledUntil = null;
    this.runSoon();
  }

  /** Plans a run shortly (the account or the folder just became usable), unless a sign-in is awaited. */
  runSoon(): void {
    if (this.state.waitingForSignIn) return;
    this.state.nextRunAt = this.clock.now() + this.firstRunDelayMs;
    this.arm();
    this.changed();
  }

  /** The person signed out: no run until the next sign-in. */
  holdForSignIn(): void {
    this.state.waitingForSignIn = true;
    this.state.nextRunAt = null;
    this.arm();
    this.changed();
  }

  private tick(): void {
    const now = this.clock.now();
    const { pause } = this.state;
    if (pause && pause.until !== null && pause.until <= now) {
      this.state.pause = null;
      this.options.pauses.write(null);
    }
    const due = !this.stopped && this.state.nextRunAt !== null && this.state.nextRunAt <= now;
    if (due && !this.state.running && !this.state.pause && !this.state.waitingForSignIn) this.launch(this.options.run);
    else this.arm();
    this.changed();
  }

  private launch(job: Job): void {
    this.state.running = true;
    this.disarm();
    this.changed();
    this.current = (async () => {
      let result: RunResult;
      try {
        result = await job();
      } catch (error) {
        const retryAfter = (error as { retryAfter?: unknown } | null)?.retryAfter;
        result = { code: errorCodeOf(error) ?? null, retryAfter: retryAfter instanceof Date ? retryAfter.getTime() : null };
      }
      this.state.running = false;
      this.settle(result);
      this.current = null;
      this.arm();
      this.changed();
    })();
  }

  /** Plans the next run from how this one ended. */
  private settle(result: RunResult): void {
    const now = this.clock.now();
    this.lastEndedAt = now;
    this.state.lastResult = result;
    this.state.runningElsewhere = result.code === 'ALREADY_RUNNING';
    this.state.throttledUntil = null;
    if (this.state.runningElsewhere) {
      this.state.nextRunAt = now + ELSEWHERE_RECHECK_MS;
      return;
    }
    if (result.code && NEEDS_SIGN_IN.has(result.code)) {
      this.state.waitingForSignIn = true;
      this.state.nextRunAt = null;
      return;
    }
    const wait = throttleWaitMs(result.code, result.retryAfter === null ? null : new Date(result.retryAfter), now);
    if (wait > 0) this.state.throttledUntil = now + wait;
    this.state.nextRunAt = now + Math.max(this.intervalMs, wait);
  }

  private arm(): void {
    this.disarm();
    if (this.stopped || this.state.running) return;
    const { pause, nextRunAt, waitingForSignIn } = this.state;
    const wakeAt = pause ? pause.until : waitingForSignIn ? null : nextRunAt;
    if (wakeAt === null) return;
    this.cancelTimer = this.clock.at(wakeAt, () => {
      this.cancelTimer = null;
      this.tick();
    });
  }

  private disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
