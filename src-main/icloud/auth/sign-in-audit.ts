/**
 * The audit trail of sign-in events: one structured log line (`event: "sign-in-audit"`) per step of
 * every sign-in, whoever drives it (the page, the desktop app, the CLI's `auth`, the daemon's
 * unattended renewals). The client records them, because every sign-in passes through it. Only the
 * step, where it came from, the code channel and catalogue codes are logged: never a code, a
 * password, a token or a phone number.
 */
import type { ErrorCode } from '../../../src-shared/errors.js';
import type { Logger } from '../logger.js';
import type { CodeChannel, SignInState } from './sign-in-state.js';

/** Who drove a sign-in step. Steps the client takes by itself carry the host's source. */
export type SignInSource = 'page' | 'desktop' | 'cli' | 'daemon';

export type SignInAuditStep =
  | 'password-submitted'
  | 'signed-in'
  | 'sign-in-failed'
  | 'code-needed'
  | 'code-requested'
  | 'code-sent'
  | 'code-not-sent'
  | 'code-submitted'
  | 'code-accepted'
  | 'code-refused'
  | 'code-timed-out';

/**
 * How long a code is waited for before the trail records `code-timed-out`. Apple publishes no
 * lifetime for its codes and answers a stale one like a wrong one; ten minutes after it was needed
 * or last sent, a code nobody typed is taken as expired (a new one can be asked for).
 */
export const CODE_WINDOW_MS = 10 * 60_000;

export interface SignInAuditDetail {
  code?: ErrorCode;
  channel?: CodeChannel['channel'];
  attemptsLeft?: number;
}

const WARNINGS = new Set<SignInAuditStep>(['sign-in-failed', 'code-not-sent', 'code-refused', 'code-timed-out']);

export class SignInAudit {
  private codeTimer: NodeJS.Timeout | undefined;
  private waitingSince: SignInSource | undefined;

  constructor(
    private readonly logger: Logger,
    /** The host's source, for steps without a caller of their own. */
    readonly defaultSource: SignInSource | undefined,
    private readonly codeWindowMs: number = CODE_WINDOW_MS,
  ) {}

  record(step: SignInAuditStep, source: SignInSource | undefined, detail: SignInAuditDetail = {}): void {
    const from = source ?? this.defaultSource;
    const fields = { event: 'sign-in-audit', step, ...(from ? { source: from } : {}), ...detail };
    const message = `sign-in: ${step}${from ? ` (from ${from})` : ''}${detail.code ? ` ${detail.code}` : ''}`;
    if (WARNINGS.has(step)) this.logger.warn(fields, message);
    else this.logger.info(fields, message);
  }

  /** Follows the sign-in's state: a new need for a code starts the code window, leaving it ends it. */
  observe(previous: SignInState, next: SignInState, source: SignInSource | undefined): void {
    if (next.status === 'needs-code' && previous.status !== 'needs-code') {
      this.record('code-needed', source);
      this.startCodeWindow(source);
    } else if (next.status !== 'needs-code') {
      this.stopCodeWindow();
    }
  }

  /** A code was sent: the window starts again from now. */
  startCodeWindow(source: SignInSource | undefined): void {
    this.stopCodeWindow();
    this.waitingSince = source;
    this.codeTimer = setTimeout(() => {
      this.codeTimer = undefined;
      this.record('code-timed-out', this.waitingSince);
    }, this.codeWindowMs);
    // A CLI waiting on stdin or a stopped service must not be kept alive by the audit.
    this.codeTimer.unref();
  }

  stopCodeWindow(): void {
    if (this.codeTimer) clearTimeout(this.codeTimer);
    this.codeTimer = undefined;
  }
}
