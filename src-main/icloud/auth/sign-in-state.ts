import type { ErrorCode } from '../../../src-shared/errors.js';
import type { ICloudError } from '../errors.js';
import type { AuthOptions } from '../responses/auth-responses.js';

export type SignInStatus = 'signed-out' | 'signing-in' | 'needs-code' | 'trusted' | 'ready' | 'failed';

export type CodeChannel = { channel: 'device' } | { channel: 'sms'; phoneId: number };

/** A snapshot of the sign-in, the same for the CLI, the web page and the Electron dialog. */
export interface SignInState {
  status: SignInStatus;
  /** Set when status is 'failed'. */
  reason?: ErrorCode;
  /** The error behind 'failed', or the last wrong code while still in 'needs-code'. */
  error?: ICloudError;
  /** Trusted phones (numbers already obfuscated by Apple) and code rules, in 'needs-code'. */
  authOptions?: AuthOptions;
  /** Where the last code was sent, in 'needs-code'. */
  codeSentTo?: CodeChannel;
}

export type SignInListener = (state: SignInState) => void;

/** Apple's web sign-in refuses app-specific passwords; spot them before sending anything. */
export const APP_SPECIFIC_PASSWORD = /^[a-z]{4}-[a-z]{4}-[a-z]{4}-[a-z]{4}$/;
