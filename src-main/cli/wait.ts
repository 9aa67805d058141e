/** The longest delay a Node timer keeps; a longer one fires after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms`, or at once when `signal` aborts. Long waits (a 30-day interval, a long
 * Retry-After) are slept in steps a timer can hold: one overflowing timer would make the daemon
 * run back to back and hammer Apple.
 */
export function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const step = (): void => {
      const left = until - Date.now();
      if (left <= 0) return finish();
      timer = setTimeout(step, Math.min(left, MAX_TIMER_MS));
    };
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', finish);
    step();
  });
}
