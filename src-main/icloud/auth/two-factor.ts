import { ICloudError, throttledError } from '../errors.js';
import { retryAfterDate, type HttpAnswer } from '../http.js';
import { parseAuthOptions, securityCodeOf, type AuthOptions } from '../responses/auth-responses.js';
import { appleCodes, realStatus } from './answer-errors.js';
import type { IdmsaApi } from './idmsa-api.js';
import type { CodeChannel } from './sign-in-state.js';

const WRONG_CODE = '-21669';

/** The two-factor calls of spec 2.1-2.4 and how their answers map to the user's errors. */
export class TwoFactor {
  constructor(private readonly api: IdmsaApi) {}

  async authOptions(): Promise<AuthOptions> {
    const answer = await this.api.authOptions();
    this.refuseFailure(answer, 'auth options');
    const options = parseAuthOptions(answer.json, answer.text);
    if (!options) throw new ICloudError('PROTOCOL_CHANGED', { detail: 'auth options not understood' });
    if (options.securityCode.locked) throw new ICloudError('CODE_LOCKED');
    return options;
  }

  /** Explicit delivery: since early 2026 Apple sends no code unless asked (spec 2.2). */
  async requestCode(channel: CodeChannel): Promise<AuthOptions | undefined> {
    const answer =
      channel.channel === 'device' ? await this.api.requestDeviceCode() : await this.api.requestSmsCode(channel.phoneId);
    this.refuseFailure(answer, `code delivery (${channel.channel})`);
    const code = securityCodeOf(answer.json);
    if (code?.locked) throw new ICloudError('CODE_LOCKED');
    if (code?.tooManyCodesSent) throw new ICloudError('CODE_LOCKED', { detail: 'too many codes sent' });
    return parseAuthOptions(answer.json, answer.text);
  }

  /** 'ok' when the code is right, 'repair' when Apple wants the account repaired first (spec 2.3). */
  async verify(code: string, channel: CodeChannel, options: AuthOptions | undefined): Promise<'ok' | 'repair'> {
    const digits = code.replace(/\s+/g, '');
    const length = options?.securityCode.length ?? 6;
    if (!new RegExp(`^\\d{${length}}$`).test(digits)) {
      throw new ICloudError('WRONG_CODE', { detail: `a code is ${length} digits` });
    }
    const answer =
      channel.channel === 'device'
        ? await this.api.verifyDeviceCode(digits)
        : await this.api.verifySmsCode(digits, channel.phoneId);
    const status = realStatus(answer);
    if (status >= 200 && status < 300) return 'ok';
    if (status === 412) return 'repair';
    const securityCode = securityCodeOf(answer.json);
    if (securityCode?.locked) throw new ICloudError('CODE_LOCKED', { detail: `verify answered ${status}` });
    if (appleCodes(answer).includes(WRONG_CODE)) {
      throw new ICloudError('WRONG_CODE', { detail: `verify answered ${status}` });
    }
    this.refuseFailure(answer, 'code verification');
    throw new ICloudError('PROTOCOL_CHANGED', { detail: `verify answered ${status}` });
  }

  async trust(): Promise<void> {
    const answer = await this.api.trust();
    this.refuseFailure(answer, '2sv/trust');
  }

  private refuseFailure(answer: HttpAnswer, step: string): void {
    const status = realStatus(answer);
    if (status >= 200 && status < 300) return;
    const detail = `${step} answered ${status} ${appleCodes(answer).join(',')}`.trim();
    if (status === 503 || status === 429) throw throttledError({ detail }, retryAfterDate(answer.headers));
    // A stale or unknown auth conversation: the sign-in has to start over.
    if (status === 401 || status === 403) throw new ICloudError('AUTH_REQUIRED', { detail });
    if (status >= 500) throw new ICloudError('APPLE_SERVER_ERROR', { detail });
    throw new ICloudError('PROTOCOL_CHANGED', { detail });
  }
}
