import { realSleep, retryDelay, SIGN_IN_RETRY, type RetryPolicy, type Sleep } from '../backoff.js';
import { ICloudError } from '../errors.js';
import type { HttpAnswer } from '../http.js';
import { retryAfterDate } from '../http.js';
import type { Logger } from '../logger.js';
import { signinInitSchema } from '../responses/auth-responses.js';
import { SrpClient, type SrpByteConvention } from '../srp.js';
import { isThrottled, isWrongPassword, realStatus, signInError } from './answer-errors.js';
import type { IdmsaApi } from './idmsa-api.js';

export interface SrpExchangeOptions {
  /** The convention to try first: the one that worked last time (default raw bytes). */
  convention?: SrpByteConvention;
  retry?: RetryPolicy;
  sleep?: Sleep;
  logger: Logger;
}

/**
 * signin/init + signin/complete (spec 1.5, 1.6). Returns the complete answer when its status is
 * one the flow handles (200, 409, 412); throws the user's error otherwise. A throttled attempt is
 * retried as a whole exchange (the `c` of a failed one cannot be reused), a bounded number of times,
 * and only when Apple said how long to wait: a bare 503 is Apple's block on sign-ins, and knocking
 * again makes it longer (icloudpd 1.29.1; spec 6), so it stops at once.
 *
 * When the salt or H(":"|p) starts with a zero byte, clients disagree on how to hash it and Apple's
 * choice is unknown (srp.ts). A wrong-password answer to such an exchange is followed by exactly one
 * more exchange in the other convention before the password is called wrong, so for these accounts
 * a wrong password costs two attempts. Returns the convention Apple accepted, to try it first next time.
 */
export async function srpExchange(
  api: IdmsaApi,
  accountName: string,
  password: string,
  trustTokens: string[],
  options: SrpExchangeOptions,
): Promise<{ complete: HttpAnswer; convention: SrpByteConvention }> {
  const policy = options.retry ?? SIGN_IN_RETRY;
  const sleep = options.sleep ?? realSleep;
  let convention = options.convention ?? 'raw';
  let switched = false;
  for (let attempt = 0; ; ) {
    const answer = await attemptOnce(api, accountName, password, trustTokens, convention);
    if ('complete' in answer) return { complete: answer.complete, convention };
    if ('wrongPassword' in answer) {
      if (!answer.conventionMatters || switched) throw signInError(answer.wrongPassword, 'signin/complete');
      options.logger.info({}, 'password refused with a leading zero byte in the SRP salt or hash: trying the other byte convention once');
      convention = convention === 'raw' ? 'stripped' : 'raw';
      switched = true;
      continue;
    }
    const retryAfter = retryAfterDate(answer.throttled.headers);
    if (!retryAfter && realStatus(answer.throttled) === 503) throw signInError(answer.throttled, answer.step);
    const delay = retryDelay(policy, attempt++, retryAfter);
    if (delay === undefined) throw signInError(answer.throttled, answer.step);
    options.logger.warn({ step: answer.step, status: answer.throttled.status, waitMs: Math.round(delay) }, 'apple throttled sign-in and said how long to wait; waiting once');
    await sleep(delay);
  }
}

type Attempt =
  | { complete: HttpAnswer }
  | { throttled: HttpAnswer; step: string }
  | { wrongPassword: HttpAnswer; conventionMatters: boolean };

async function attemptOnce(
  api: IdmsaApi,
  accountName: string,
  password: string,
  trustTokens: string[],
  convention: SrpByteConvention,
): Promise<Attempt> {
  const srp = new SrpClient();
  const init = await api.signinInit(accountName, srp.publicABase64);
  if (isThrottled(init)) return { throttled: init, step: 'signin/init' };
  if (realStatus(init) !== 200) throw signInError(init, 'signin/init');
  const parsed = signinInitSchema.safeParse(init.json);
  if (!parsed.success) throw new ICloudError('PROTOCOL_CHANGED', { detail: 'signin/init answer not understood' });
  const { m1, m2, conventionMatters } = srp.prove({
    accountName,
    password,
    salt: Buffer.from(parsed.data.salt, 'base64'),
    iterations: parsed.data.iteration,
    protocol: parsed.data.protocol,
    B: Buffer.from(parsed.data.b, 'base64'),
    convention,
  });
  const complete = await api.signinComplete({ accountName, m1, m2, c: parsed.data.c, trustTokens });
  if (isThrottled(complete)) return { throttled: complete, step: 'signin/complete' };
  if (isWrongPassword(complete)) return { wrongPassword: complete, conventionMatters };
  if (![200, 409, 412].includes(realStatus(complete))) throw signInError(complete, 'signin/complete');
  return { complete };
}
