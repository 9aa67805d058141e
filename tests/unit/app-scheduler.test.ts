import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src-main/app/clock.js';
import { PauseStore } from '../../src-main/app/pause-store.js';
import { ELSEWHERE_RECHECK_MS, FIRST_RUN_DELAY_MS, Scheduler, type Job, type RunResult } from '../../src-main/app/scheduler.js';
import { THROTTLE_DEFAULT_WAIT_MS } from '../../src-main/icloud/backoff.js';
import { acquireRunLock } from '../../src-main/sync/run-lock.js';
import { ManualClock, settle } from '../support/manual-clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OK: RunResult = { code: null, retryAfter: null };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ips-scheduler-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run the test answers: each call waits until the test calls finish(result). */
function controlledRuns() {
  const started: number[] = [];
  let finish: ((result: RunResult) => void) | null = null;
  let clock: ManualClock;
  const job: Job = () =>
    new Promise<RunResult>((resolve) => {
      started.push(clock.now());
      finish = resolve;
    });
  return {
    job,
    started,
    bind: (c: ManualClock) => (clock = c),
    async end(result: RunResult = OK) {
      const done = finish;
      finish = null;
      if (!done) throw new Error('no run is going');
      done(result);
      await settle();
    },
  };
}

function scheduler(runs: ReturnType<typeof controlledRuns>, clock = new ManualClock(), intervalMs = 6 * HOUR) {
  runs.bind(clock);
  const s = new Scheduler({ clock, run: runs.job, pauses: new PauseStore(dir), intervalMs });
  return { s, clock };
}

describe('scheduler', () => {
  it('runs shortly after start, then at the wall-clock time one interval after the run ended', async () => {
    const runs = controlledRuns();
    const { s, clock } = scheduler(runs);
    const t0 = clock.now();
    s.start();
    expect(s.snapshot.nextRunAt).toBe(t0 + FIRST_RUN_DELAY_MS);
    await clock.advance(FIRST_RUN_DELAY_MS);
    expect(runs.started).toEqual([t0 + FIRST_RUN_DELAY_MS]);
    await clock.advance(MINUTE);
    await runs.end();
    expect(s.snapshot.nextRunAt).toBe(clock.now() + 6 * HOUR);
    await clock.advance(6 * HOUR);
    expect(runs.started).toHaveLength(2);
    await runs.end();
    await s.stop();
  });

  it('never starts two runs at once: "sync now" during a run says so, and a due time waits for the run', async () => {
    const runs = controlledRuns();
    const { s, clock } = scheduler(runs, undefined, 10 * MINUTE);
    s.start();
    await clock.advance(FIRST_RUN_DELAY_MS);
    expect(s.snapshot.running).toBe(true);
    expect(s.runNow()).toEqual({ started: false, reason: 'already-running' });
    await clock.advance(3 * HOUR);
    expect(runs.started).toHaveLength(1);
    await runs.end();
    expect(s.runNow()).toEqual({ started: true, reason: null });
    expect(runs.started).toHaveLength(2);
    await runs.end();
    await s.stop();
  });

  it('after sleeping through several due times, catchUp() runs once, not once per missed time', async () => {
    const runs = controlledRuns();
    const { s, clock } = scheduler(runs, undefined, HOUR);
    s.start();
    await clock.advance(FIRST_RUN_DELAY_MS);
    await runs.end();
    clock.sleep(5 * HOUR);
    s.catchUp();
    s.catchUp();
    await settle();
    expect(runs.started).toHaveLength(2);
    await runs.end();
    s.catchUp();
    await settle();
    expect(runs.started).toHaveLength(2);
    expect(s.snapshot.nextRunAt).toBe(clock.now() + HOUR);
    await s.stop();
  });

  it("waits out Apple's Retry-After (and at least the default when throttled), refusing sync now meanwhile", async () => {
    const runs = controlledRuns();
    const { s, clock } = scheduler(runs, undefined, 10 * MINUTE);
    s.start();
    await clock.advance(FIRST_RUN_DELAY_MS);
    await runs.end({ code: 'THROTTLED', retryAfter: clock.now() + 3 * HOUR });
    expect(s.snapshot.throttledUntil).toBe(clock.now() + 3 * HOUR);
    expect(s.runNow()).toEqual({ started: false, reason: 'throttled' });
    await clock.advance(3 * HOUR - MINUTE);
    expect(runs.started).toHaveLength(1);
    await clock.advance(MINUTE);
    expect(runs.started).toHaveLength(2);
    await runs.end({ code: 'THROTTLED', retryAfter: null });
    expect(s.snapshot.nextRunAt).toBe(clock.now() + THROTTLE_DEFAULT_WAIT_MS);
    await s.stop();
  });

  it('pauses until a time, then runs once if a run fell due during the pause', async () => {
    const runs = controlledRuns();
    const { s, clock } = scheduler(runs, undefined, 10 * MINUTE);
    s.start();
    s.pause(clock.now() + 2 * HOUR);
    await clock.advance(2 * HOUR - MINUTE);
    expect(runs.started).toHaveLength(0);
    expect(s.snapshot.pause).not.toBeNull();
    await clock.advance(MINUTE);
    expect(s.snapshot.pause).toBeNull();
    expect(runs.started).toHaveLength(1);
    await runs.end();
    await s.stop();
  });

  it('keeps a pause "until resumed" until resume(), which runs at once when a run is overdue', async () => {
    const runs = controlledRuns();
    const { s, clock } = scheduler(runs, undefined, 10 * MINUTE);
    s.start();
    s.pause(null);
    await clock.advance(30 * HOUR);
    expect(runs.started).toHaveLength(0);
    s.resume();
    await settle();
    expect(runs.started).toHaveLength(1);
    await runs.end();
    await s.stop();
  });

  it('a timed pause survives a restart, and ends by itself in the new process', async () => {
    const first = controlledRuns();
    const { s, clock } = scheduler(first, undefined, 10 * MINUTE);
    s.start();
    s.pause(clock.now() + HOUR);
    await s.stop();

    await clock.advance(10 * MINUTE);
    const second = controlledRuns();
    const restarted = scheduler(second, clock, 10 * MINUTE).s;
    restarted.start();
    expect(restarted.snapshot.pause).toEqual({ until: clock.now() + 50 * MINUTE });
    await clock.advance(49 * MINUTE);
    expect(second.started).toHaveLength(0);
    await clock.advance(MINUTE);
    expect(second.started).toHaveLength(1);
    expect(new PauseStore(dir).read()).toBeNull();
    await second.end();
    await restarted.stop();
    expect(first.started).toHaveLength(0);
  });

  it('shows a run held by the CLI (run lock taken) as a state and looks again a minute later', async () => {
    const lockPath = join(dir, 'tracker.db.lock');
    const release = acquireRunLock(lockPath);
    let ran = 0;
    const clock = new ManualClock();
    const s = new Scheduler({
      clock,
      pauses: new PauseStore(dir),
      intervalMs: 6 * HOUR,
      run: async () => {
        acquireRunLock(lockPath)();
        ran++;
        return OK;
      },
    });
    s.start();
    await clock.advance(FIRST_RUN_DELAY_MS);
    expect(s.snapshot).toMatchObject({ runningElsewhere: true, running: false, nextRunAt: clock.now() + ELSEWHERE_RECHECK_MS });
    expect(s.snapshot.lastResult?.code).toBe('ALREADY_RUNNING');
    release();
    await clock.advance(ELSEWHERE_RECHECK_MS);
    expect(ran).toBe(1);
    expect(s.snapshot.runningElsewhere).toBe(false);
    await s.stop();
  });

  it('runs nothing while a code is needed, and resumes shortly after the sign-in', async () => {
    const runs = controlledRuns();
    const { s, clock } = scheduler(runs, undefined, 10 * MINUTE);
    s.start();
    await clock.advance(FIRST_RUN_DELAY_MS);
    await runs.end({ code: 'CODE_REQUIRED', retryAfter: null });
    expect(s.snapshot).toMatchObject({ waitingForSignIn: true, nextRunAt: null });
    expect(s.runNow()).toEqual({ started: false, reason: 'needs-sign-in' });
    await clock.advance(24 * HOUR);
    expect(runs.started).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
    s.signedIn();
    await clock.advance(FIRST_RUN_DELAY_MS);
    expect(runs.started).toHaveLength(2);
    await runs.end();
    await s.stop();
  });

  it('starts nothing once stopped, whatever is asked afterwards', async () => {
    const runs = controlledRuns();
    const { s, clock } = scheduler(runs, undefined, 10 * MINUTE);
    s.start();
    s.pause(null);
    await clock.advance(HOUR);
    await s.stop();
    s.resume();
    s.signedIn();
    s.catchUp();
    await clock.advance(24 * HOUR);
    expect(runs.started).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('system clock', () => {
  it('calls back for a time already past only after at() returned, and not at all once cancelled', async () => {
    let called = 0;
    systemClock.at(Date.now() - 1000, () => called++);
    expect(called).toBe(0);
    const cancel = systemClock.at(Date.now() - 1000, () => called++);
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(called).toBe(1);
  });
});
