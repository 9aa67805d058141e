/**
 * The interactive sign-in as views drive it: password, then (when Apple asks) a code pushed to the
 * trusted devices or sent by SMS, then trusted. Apple's wrong-code answer carries no count of tries
 * left, so the service counts them itself, per sign-in, and stops sending codes before Apple's own
 * lockout can start; a lockout Apple does report (CODE_LOCKED) is passed on in plain words.
 */
import type { SignInView } from '../../src-shared/snapshot.js';
import { UserError } from '../config/user-error.js';
import type { SignInSource } from '../icloud/auth/sign-in-audit.js';
import type { CodeChannel, SignInState } from '../icloud/auth/sign-in-state.js';
import type { ICloudClient } from '../icloud/client.js';
import { ICloudError, isICloudError } from '../icloud/errors.js';
import { registerSecret } from '../log/redact.js';

/** Our own limit of code tries per sign-in (Apple publishes none). */
export const CODE_ATTEMPTS = 5;

export class SignInFlow {
  private attemptsLeft: number | null = null;
  private lastStatus: SignInState['status'] = 'signed-out';

  /** Follows the client's state: a fresh need for a code (also from an unattended run) gets fresh tries. */
  observe(state: SignInState): void {
    if (state.status === 'needs-code' && this.lastStatus !== 'needs-code') this.attemptsLeft = CODE_ATTEMPTS;
    if (state.status === 'ready' || state.status === 'signed-out') this.attemptsLeft = null;
    this.lastStatus = state.status;
  }

  /** Password sign-in; when a code is needed and the account has trusted devices, asks Apple to push one. */
  async signIn(client: ICloudClient, password: string, source?: SignInSource): Promise<'ready' | 'needs-code'> {
    registerSecret(password);
    let state = await client.signIn(password, source);
    if (state.status === 'needs-code' && state.authOptions?.hasTrustedDevices) state = await client.requestCode({ channel: 'device' }, source);
    return outcomeOf(state);
  }

  async requestCode(client: ICloudClient, channel: 'device' | 'sms', phoneId?: number, source?: SignInSource): Promise<'device' | 'sms'> {
    const state = expectCode(client);
    await client.requestCode(chooseChannel(state, channel, phoneId), source);
    return channel;
  }

  async submitCode(client: ICloudClient, code: string, source?: SignInSource): Promise<'ready' | 'needs-code'> {
    expectCode(client);
    registerSecret(code);
    if (this.attemptsLeft !== null && this.attemptsLeft <= 0) {
      client.audit.record('code-refused', source, { code: 'AUTH_REQUIRED', attemptsLeft: 0 });
      throw new UserError('AUTH_REQUIRED', 'No tries are left for this code: sign in again to get a new one.');
    }
    try {
      return outcomeOf(await client.submitCode(code, source));
    } catch (error) {
      if (!isICloudError(error, 'WRONG_CODE')) throw error;
      this.attemptsLeft = Math.max(0, (this.attemptsLeft ?? CODE_ATTEMPTS) - 1);
      throw new ICloudError('WRONG_CODE', { attemptsLeft: this.attemptsLeft, ...(error.detail ? { detail: error.detail } : {}) });
    }
  }

  view(state: SignInState): SignInView {
    const options = state.authOptions;
    const needsCode = state.status === 'needs-code';
    return {
      status: state.status === 'trusted' ? 'signing-in' : state.status,
      phones: needsCode ? (options?.trustedPhones ?? []).map((phone) => ({ id: phone.id, number: phone.number })) : [],
      hasTrustedDevices: needsCode && (options?.hasTrustedDevices ?? false),
      codeSentTo: needsCode ? (state.codeSentTo?.channel ?? null) : null,
      codeLength: needsCode ? (options?.securityCode.length ?? null) : null,
      attemptsLeft: needsCode ? this.attemptsLeft : null,
      errorCode: state.reason ?? state.error?.code ?? null,
    };
  }
}

function outcomeOf(state: SignInState): 'ready' | 'needs-code' {
  if (state.status === 'ready' || state.status === 'needs-code') return state.status;
  throw new ICloudError(state.reason ?? 'AUTH_REQUIRED', { detail: `the sign-in ended in state "${state.status}"` });
}

function expectCode(client: ICloudClient): SignInState {
  const state = client.state;
  if (state.status !== 'needs-code') throw new UserError('AUTH_REQUIRED', 'No code is expected now: sign in with your password first.');
  return state;
}

function chooseChannel(state: SignInState, channel: 'device' | 'sms', phoneId: number | undefined): CodeChannel {
  if (channel === 'device') return { channel: 'device' };
  const phones = state.authOptions?.trustedPhones ?? [];
  const phone = phoneId === undefined ? phones[0] : phones.find((p) => p.id === phoneId);
  if (!phone) {
    const known = phones.map((p) => `${p.id} (${p.number})`).join(', ') || 'none';
    throw new UserError('CONFIG_INVALID', `No trusted phone with id ${phoneId ?? '(none given)'}. Trusted phones: ${known}.`);
  }
  return { channel: 'sms', phoneId: phone.id };
}
