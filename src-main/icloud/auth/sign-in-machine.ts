import type { RetryPolicy, Sleep } from '../backoff.js';
import { ICloudError, isICloudError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SessionState } from '../session/session-state.js';
import { interpretAccountLogin, type WebSession } from './account-login.js';
import { srpExchange } from './srp-exchange.js';
import { TwoFactor } from './two-factor.js';
import type { IdmsaApi } from './idmsa-api.js';
import type { SetupApi } from './setup-api.js';
import { realStatus } from './answer-errors.js';
import { mergeAuthOptions, twoFactorChallengeSchema } from '../responses/auth-responses.js';
import { ensurePcsAccess, type PcsOptions } from './pcs-consent.js';
import {
  APP_SPECIFIC_PASSWORD,
  type CodeChannel,
  type SignInListener,
  type SignInState,
  type SignInStatus,
} from './sign-in-state.js';

export interface SignInMachineOptions {
  accountName: string;
  idmsa: IdmsaApi;
  setup: SetupApi;
  session: SessionState;
  logger: Logger;
  /** Saves the session files; called whenever the tokens worth keeping change. */
  persist: () => Promise<void>;
  retry?: RetryPolicy;
  sleep?: Sleep;
  pcs?: PcsOptions;
}

/**
 * The sign-in as an explicit state machine:
 * signed-out -> signing-in -> needs-code -> trusted -> ready, or failed with a reason.
 * Methods resolve with the new state and throw an ICloudError when they fail; listeners see every
 * change. The password is used for one call and never kept.
 */
export class SignInMachine {
  private current: SignInState = { status: 'signed-out' };
  private readonly listeners = new Set<SignInListener>();
  private readonly twoFactor: TwoFactor;
  private web: WebSession | undefined;
  private busy = false;

  constructor(private readonly options: SignInMachineOptions) {
    this.twoFactor = new TwoFactor(options.idmsa);
  }

  get state(): SignInState {
    return this.current;
  }

  /** The web session once 'ready'. */
  get webSession(): WebSession | undefined {
    return this.current.status === 'ready' ? this.web : undefined;
  }

  onChange(listener: SignInListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reuse the stored session without a password (spec 3.6 steps 1-2): validate, then accountLogin
   * with the stored tokens. Ends 'ready', or 'signed-out' when a password is needed.
   */
  resume(): Promise<SignInState> {
    return this.run(async () => {
      const data = this.options.session.data;
      if (!data.sessionToken && !data.dsid) return this.set({ status: 'signed-out' });
      this.set({ status: 'signing-in' });
      const validated = interpretAccountLogin(await this.options.setup.validate());
      if (validated.kind === 'ready') return this.becomeReady(validated.session);
      this.options.logger.info({ outcome: validated.kind }, 'stored web session not valid; trying the stored tokens');
      if (data.sessionToken) {
        const login = interpretAccountLogin(await this.options.setup.accountLogin());
        if (login.kind === 'ready') return this.becomeReady(login.session);
      }
      this.options.logger.info({}, 'stored session expired: a sign-in with the password is needed');
      this.options.session.forgetWebSession();
      await this.options.persist();
      return this.set({ status: 'signed-out' });
    });
  }

  /**
   * Takes the saved web session as ready without asking Apple (no `validate`): a session that died
   * meanwhile shows up as the first CloudKit call's 401/421, which renews it (client.ts). Only for
   * sessions accountLogin described before and that need no PCS cookies (ADP, spec 3.7: those are
   * checked by resume()). False when there is no such session.
   */
  adoptSavedSession(): boolean {
    const data = this.options.session.data;
    if (this.busy || this.current.status !== 'signed-out') return false;
    if (!data.dsid || !data.ckdatabasewsUrl || data.adp === undefined || data.pcsRequired === undefined) return false;
    if (data.adp && data.pcsRequired) return false;
    this.web = { dsid: data.dsid, ckdatabasewsUrl: data.ckdatabasewsUrl, adp: data.adp, pcsRequired: data.pcsRequired };
    this.options.logger.debug({}, 'reusing the saved web session without validating it');
    this.set({ status: 'ready' });
    return true;
  }

  /** SRP sign-in (spec 1.5, 1.6) offering the stored trust token, then accountLogin or two-factor. */
  signIn(password: string): Promise<SignInState> {
    return this.run(async () => {
      if (APP_SPECIFIC_PASSWORD.test(password)) throw new ICloudError('APP_SPECIFIC_PASSWORD');
      this.set({ status: 'signing-in' });
      const session = this.options.session;
      session.resetConversation();
      session.forgetWebSession();
      const trustTokens = session.data.trustToken ? [session.data.trustToken] : [];
      const { complete, convention } = await srpExchange(this.options.idmsa, this.options.accountName, password, trustTokens, {
        ...(session.data.srpConvention ? { convention: session.data.srpConvention } : {}),
        logger: this.options.logger,
        ...(this.options.retry ? { retry: this.options.retry } : {}),
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      });
      if (convention !== (session.data.srpConvention ?? 'raw')) {
        // Apple took the password in the other convention: start with it next time.
        if (convention === 'raw') delete session.data.srpConvention;
        else session.data.srpConvention = convention;
        await this.options.persist();
      }
      const status = realStatus(complete);
      if (status === 412) return this.repairThenLogin();
      if (status === 200) {
        this.set({ status: 'trusted' });
        return this.loginAfterTrust();
      }
      const challenge = twoFactorChallengeSchema.safeParse(complete.json ?? {});
      if (challenge.success && challenge.data.fsaChallenge !== undefined) throw new ICloudError('SECURITY_KEYS_UNSUPPORTED');
      if (trustTokens.length) {
        this.options.logger.info({}, 'stored trust is no longer accepted (expired or revoked): a code is needed');
        delete session.data.trustToken;
        await this.options.persist();
      }
      return this.enterNeedsCode();
    });
  }

  /** Ask Apple to send a code: a push to trusted devices, or an SMS to one trusted phone. */
  requestCode(channel: CodeChannel): Promise<SignInState> {
    return this.run(async () => {
      this.expect('needs-code');
      const update = await this.twoFactor.requestCode(channel);
      const authOptions = mergeAuthOptions(this.current.authOptions, update);
      return this.set({ ...this.current, codeSentTo: channel, ...(authOptions ? { authOptions } : {}), error: undefined });
    }, false);
  }

  /** Verify the code, trust this client (spec 2.3, 2.4), then accountLogin. */
  submitCode(code: string): Promise<SignInState> {
    return this.run(async () => {
      this.expect('needs-code');
      const channel = this.current.codeSentTo ?? { channel: 'device' };
      try {
        const verified = await this.twoFactor.verify(code, channel, this.current.authOptions);
        if (verified === 'repair') return this.repairThenLogin();
      } catch (error) {
        if (isICloudError(error, 'WRONG_CODE')) this.set({ ...this.current, error });
        throw error;
      }
      await this.twoFactor.trust();
      this.set({ status: 'trusted' });
      await this.options.persist();
      return this.loginAfterTrust();
    }, false);
  }

  /** Forget the session in memory; the caller deletes the files. */
  reset(): void {
    this.web = undefined;
    this.set({ status: 'signed-out' });
  }

  private async enterNeedsCode(): Promise<SignInState> {
    const authOptions = await this.twoFactor.authOptions();
    return this.set({ status: 'needs-code', authOptions });
  }

  private async repairThenLogin(): Promise<SignInState> {
    const repaired = await this.options.idmsa.repairComplete();
    if (repaired.status < 200 || repaired.status >= 300) {
      throw new ICloudError('REPAIR_NEEDED', { detail: `repair/complete answered ${repaired.status}` });
    }
    return this.loginAfterTrust();
  }

  private async loginAfterTrust(): Promise<SignInState> {
    const outcome = interpretAccountLogin(await this.options.setup.accountLogin());
    if (outcome.kind === 'ready') return this.becomeReady(outcome.session);
    if (outcome.kind === 'needs-2fa') return this.enterNeedsCode();
    throw new ICloudError('APPLE_SERVER_ERROR', { detail: `accountLogin answered ${outcome.status} after sign-in` });
  }

  private async becomeReady(web: WebSession): Promise<SignInState> {
    if (web.adp && web.pcsRequired) await ensurePcsAccess(this.options.setup, this.options.logger, this.options.pcs);
    const data = this.options.session.data;
    data.dsid = web.dsid;
    data.ckdatabasewsUrl = web.ckdatabasewsUrl;
    data.adp = web.adp;
    data.pcsRequired = web.pcsRequired;
    this.web = web;
    await this.options.persist();
    return this.set({ status: 'ready' });
  }

  private expect(status: SignInStatus): void {
    if (this.current.status !== status) {
      throw new ICloudError('AUTH_REQUIRED', { detail: `sign-in is ${this.current.status}, not ${status}` });
    }
  }

  /** One step at a time; a failure moves to 'failed' unless it leaves the step retryable. */
  private async run(step: () => Promise<SignInState>, failOnError = true): Promise<SignInState> {
    if (this.busy) throw new ICloudError('AUTH_REQUIRED', { detail: 'another sign-in step is still running' });
    this.busy = true;
    try {
      return await step();
    } catch (error) {
      const wrapped = isICloudError(error) ? error : new ICloudError('APPLE_SERVER_ERROR', { detail: String(error) });
      // A wrong code or a network blip while entering a code leaves the code step open.
      const keepWaitingForCode = !failOnError && (wrapped.code === 'WRONG_CODE' || wrapped.code === 'NETWORK');
      if (!keepWaitingForCode) this.set({ status: 'failed', reason: wrapped.code, error: wrapped });
      this.options.logger.warn({ code: wrapped.code, detail: wrapped.detail }, 'sign-in step failed');
      throw wrapped;
    } finally {
      this.busy = false;
    }
  }

  private set(state: SignInState): SignInState {
    const clean = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as unknown as SignInState;
    this.current = clean;
    this.options.logger.debug({ status: clean.status, reason: clean.reason }, 'sign-in state');
    for (const listener of this.listeners) listener(clean);
    return clean;
  }
}
