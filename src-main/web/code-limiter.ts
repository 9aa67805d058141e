/**
 * Code submissions from the page: at most `perMinute` in any minute, and at most `perSignIn` while
 * one sign-in waits for a code (the service counts Apple's tries too; this stops a page from
 * hammering before Apple's own lockout).
 */
import type { AppBridge, SignInView } from '../../src-shared/contract.js';
export interface CodeLimits {
  perMinute: number;
  perSignIn: number;
}

export const DEFAULT_CODE_LIMITS: CodeLimits = { perMinute: 5, perSignIn: 10 };

export class CodeLimiter {
  private recent: number[] = [];
  private thisSignIn = 0;

  constructor(
    private readonly limits: CodeLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one submission, or says why it is refused (then it is not counted). */
  take(): 'ok' | 'code-rate-limited' | 'code-attempts-exhausted' {
    const now = this.now();
    this.recent = this.recent.filter((at) => now - at < 60_000);
    if (this.thisSignIn >= this.limits.perSignIn) return 'code-attempts-exhausted';
    if (this.recent.length >= this.limits.perMinute) return 'code-rate-limited';
    this.recent.push(now);
    this.thisSignIn += 1;
    return 'ok';
  }

  /** A new sign-in started (or the last one ended): its own cap. */
  newSignIn(): void {
    this.thisSignIn = 0;
  }
}

/** Gives each sign-in its own cap: whenever a sign-in starts or ends (it leaves the code step). */
export function resetOnNewSignIn(bridge: AppBridge, limiter: CodeLimiter): () => void {
  let last: SignInView['status'] | null = null;
  return bridge.onSnapshot((snapshot) => {
    const { status } = snapshot.signIn;
    if (status === last) return;
    last = status;
    if (status !== 'needs-code') limiter.newSignIn();
  });
}
