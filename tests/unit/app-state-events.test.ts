import { describe, expect, it } from 'vitest';
import { chooseState, type StateInputs } from '../../src-main/app/app-state.js';
import { EventHub, MIN_EVENT_GAP_MS } from '../../src-main/app/event-hub.js';
import type { ScheduleState } from '../../src-main/app/scheduler.js';
import type { AppEvent } from '../../src-shared/events.js';
import { INITIAL_SNAPSHOT, SIGNED_OUT, type ProgressView } from '../../src-shared/snapshot.js';
import { ManualClock, settle } from '../support/manual-clock.js';

const IDLE: ScheduleState = { running: false, nextRunAt: 1, pause: null, throttledUntil: null, waitingForSignIn: false, runningElsewhere: false, lastResult: null };
const inputs = (over: Partial<Omit<StateInputs, 'schedule'>> & { schedule?: Partial<ScheduleState> } = {}): StateInputs => ({
  configured: true, signIn: { ...SIGNED_OUT, status: 'ready' }, signedOut: false, lastSuccessAt: 5, vanished: null,
  ...over, schedule: { ...IDLE, ...over.schedule },
});

describe('state: worst wins', () => {
  it('orders needs-you > error > offline > paused > syncing > up-to-date, and not-set-up without an account', () => {
    const everything = { running: true, pause: { until: null }, waitingForSignIn: true, lastResult: { code: 'DISK_FULL' as const, retryAfter: null } };
    expect(chooseState(inputs({ schedule: everything })).state).toBe('needs-you');
    expect(chooseState(inputs({ schedule: { ...everything, waitingForSignIn: false } }))).toMatchObject({ state: 'error', errorCode: 'DISK_FULL', action: 'free-space' });
    const offline = { ...everything, waitingForSignIn: false, lastResult: { code: 'NETWORK' as const, retryAfter: null } };
    expect(chooseState(inputs({ schedule: offline })).state).toBe('offline');
    expect(chooseState(inputs({ schedule: { ...offline, lastResult: null } })).state).toBe('paused');
    expect(chooseState(inputs({ schedule: { running: true } })).state).toBe('syncing');
    expect(chooseState(inputs({ schedule: { runningElsewhere: true, lastResult: { code: 'ALREADY_RUNNING', retryAfter: null } } }))).toMatchObject({ state: 'syncing', errorCode: null });
    expect(chooseState(inputs()).state).toBe('up-to-date');
    expect(chooseState(inputs({ configured: false, schedule: everything })).state).toBe('not-set-up');
  });

  it('a code asked for is needs-you with "enter code"; a sign-out on purpose is not an alarm', () => {
    expect(chooseState(inputs({ signIn: { ...SIGNED_OUT, status: 'needs-code' } }))).toMatchObject({ state: 'needs-you', errorCode: 'CODE_REQUIRED', action: 'enter-code' });
    expect(chooseState(inputs({ signedOut: true, signIn: SIGNED_OUT, schedule: { waitingForSignIn: true } }))).toMatchObject({ state: 'not-set-up', action: 'sign-in' });
  });

  it('a sign-in since the last run clears that run\'s sign-in stop: syncing resumes, no error is shown', () => {
    const stop = { lastResult: { code: 'CODE_REQUIRED' as const, retryAfter: null } };
    expect(chooseState(inputs({ schedule: { ...stop, waitingForSignIn: true } }))).toMatchObject({ state: 'needs-you', errorCode: 'CODE_REQUIRED' });
    expect(chooseState(inputs({ schedule: stop }))).toMatchObject({ state: 'up-to-date', errorCode: null });
  });

  it('names the vanished count of a mass deletion in the app wording', () => {
    const chosen = chooseState(inputs({ vanished: 42, schedule: { lastResult: { code: 'MASS_DELETION', retryAfter: null } } }));
    expect(chosen.message).toMatch(/^42 files: .*"Confirm deletions"/);
    expect(chosen.message).not.toContain('--confirm-deletions');
  });
});

describe('event hub', () => {
  const progress = (filesDone: number): ProgressView => ({ phase: 'transferring', filesDone, filesTotal: 100, bytesDone: filesDone, bytesTotal: 100, bytesPerSecond: 1, etaSeconds: 1 });

  it('coalesces a burst of progress into at most one event per gap, the newest winning, and batches arrivals', async () => {
    const clock = new ManualClock();
    const hub = new EventHub(clock, () => INITIAL_SNAPSHOT);
    const events: AppEvent[] = [];
    hub.on((event) => events.push(event));
    for (let i = 1; i <= 50; i++) {
      hub.progressed(progress(i));
      hub.arrived({ relPath: `a/${i}.jpg`, assetId: `${i}`, version: 'original', at: new Date(clock.now()).toISOString() });
    }
    // The first change goes out at once; the rest of the burst waits for the gap.
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(1);
    await clock.advance(MIN_EVENT_GAP_MS);
    const progressEvents = events.filter((e): e is Extract<AppEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progressEvents.map((e) => e.progress.filesDone)).toEqual([1, 50]);
    const arrived = events.filter((e): e is Extract<AppEvent, { type: 'files-arrived' }> => e.type === 'files-arrived').flatMap((e) => e.files);
    expect(arrived).toHaveLength(50);
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(2);
    await settle();
  });

  it('keeps delivering to the other views when one listener throws', () => {
    const hub = new EventHub(new ManualClock(), () => INITIAL_SNAPSHOT);
    const seen: string[] = [];
    hub.on(() => {
      throw new Error('broken view');
    });
    hub.on((event) => seen.push(event.type));
    hub.snapshotChanged();
    expect(seen).toEqual(['snapshot']);
  });
});
