/**
 * Wall-clock time and timers for the scheduler, so tests can move time (and simulate a sleeping
 * laptop) without waiting. The system clock arms timers in short steps and re-reads the wall
 * clock at each, so a run due at 14:00 still happens near 14:00 after the clock jumps.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once the wall clock reaches `time` (soon after); returns a cancel function. */
  at(time: number, fn: () => void): () => void;
}

/** The longest single timer step: a sleeping machine's missed time is noticed within this. */
const STEP_MS = 60_000;

export const systemClock: Clock = {
  now: () => Date.now(),
  at(time, fn) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Never calls fn before at() has returned its cancel function, even for a time already past.
    const step = (): void => {
      const left = time - Date.now();
      if (left <= 0) fn();
      // Not unref'd: the daemon lives on this timer; the scheduler's stop() cancels it.
      else timer = setTimeout(step, Math.min(left, STEP_MS));
    };
    timer = setTimeout(step, Math.max(0, Math.min(time - Date.now(), STEP_MS)));
    return () => clearTimeout(timer);
  },
};
