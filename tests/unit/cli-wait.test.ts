import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, waitFor } from '../../src-main/cli/wait.js';

const DAY_MS = 86_400_000;

describe('waitFor (the daemon pause)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a wait longer than a timer can hold (30 days) does not fire early', async () => {
    let done = false;
    void waitFor(30 * DAY_MS, new AbortController().signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(30 * DAY_MS - MAX_TIMER_MS);
    expect(done).toBe(true);
  });

  it('an abort ends the wait at once, and an aborted signal never waits', async () => {
    const stop = new AbortController();
    let done = false;
    void waitFor(DAY_MS, stop.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(done).toBe(false);
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    await expect(waitFor(DAY_MS, stop.signal)).resolves.toBeUndefined();
  });
});
