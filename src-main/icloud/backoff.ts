/**
 * Bounded retries for throttling and transient errors. Never a loop: Apple stacks its rate
 * limits when a client keeps knocking, so a policy has a small fixed number of retries and gives
 * up at once when Retry-After asks for a longer wait than it is willing to sleep.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  capMs: number;
  jitterMs: number;
  /** The longest single wait this policy accepts; a longer Retry-After ends the retries. */
  maxWaitMs: number;
}

/** kei's sign-in backoff, min(2 s * 2^n, 30 s) + up to 2 s jitter (spec 6); used only when Apple sent Retry-After. */
export const SIGN_IN_RETRY: RetryPolicy = { retries: 1, baseMs: 2_000, capMs: 30_000, jitterMs: 2_000, maxWaitMs: 60_000 };

/** kei's CloudKit policy: 3 retries, min(5 s * 2^n, 60 s) + up to 5 s jitter (spec 6). */
export const CLOUDKIT_RETRY: RetryPolicy = { retries: 3, baseMs: 5_000, capMs: 60_000, jitterMs: 5_000, maxWaitMs: 120_000 };

/** Ms to wait before retry number `attempt` (0-based), or undefined to stop retrying. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter?: Date, now = Date.now()): number | undefined {
  if (attempt >= policy.retries) return undefined;
  const backoff = Math.min(policy.baseMs * 2 ** attempt, policy.capMs) + Math.random() * policy.jitterMs;
  const asked = retryAfter ? Math.max(0, retryAfter.getTime() - now) : 0;
  if (asked > policy.maxWaitMs) return undefined;
  return Math.max(backoff, asked);
}

/**
 * When Apple throttles without a Retry-After, the time we tell the user to wait. Apple gives no
 * figure; users report success after an hour or more (spec 6), and an earlier retry extends the block.
 */
export const THROTTLE_DEFAULT_WAIT_MS = 60 * 60_000;

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
