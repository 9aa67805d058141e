import type { LookupFunction } from 'node:net';
import { CookieJar } from 'tough-cookie';
import type { WebSession } from './auth/account-login.js';
import { IdmsaApi } from './auth/idmsa-api.js';
import type { PcsOptions } from './auth/pcs-consent.js';
import { SetupApi } from './auth/setup-api.js';
import { SignInAudit, type SignInSource } from './auth/sign-in-audit.js';
import { SignInMachine } from './auth/sign-in-machine.js';
import type { CodeChannel, SignInListener, SignInState } from './auth/sign-in-state.js';
import type { RetryPolicy, Sleep } from './backoff.js';
import { SessionCloudKitTransport, type SessionKeeper } from './cloudkit-transport.js';
import { resolveEndpoints, type EndpointOptions, type ICloudEndpoints } from './endpoints.js';
import { ICloudError } from './errors.js';
import { AppleHttp } from './http.js';
import { silentLogger, type Logger } from './logger.js';
import type { CloudKitTransport } from './photos/cloudkit-transport.js';
import { SessionState } from './session/session-state.js';
import { SessionStore, defaultSessionFolder } from './session/session-store.js';

/** Supplies the Apple ID password when a fresh sign-in needs it (prompt, env, file, keychain). */
export type PasswordProvider = () => Promise<string | undefined>;

export interface ICloudClientOptions {
  appleId: string;
  /** Folder of the session files (default ~/.icloud_photo_sync/sessions). */
  sessionFolder?: string;
  /** Base URLs: region and per-host overrides (tests pass the simulator's). */
  endpoints?: EndpointOptions;
  passwordProvider?: PasswordProvider;
  logger?: Logger;
  /** Tests only: the simulator's DNS lookup. */
  dnsLookup?: LookupFunction;
  timeoutMs?: number;
  signInRetry?: RetryPolicy;
  cloudKitRetry?: RetryPolicy;
  sleep?: Sleep;
  pcs?: PcsOptions;
  /** Who drives this client's own sign-ins (the host), for the audit trail. */
  auditSource?: SignInSource;
  /** How long a needed code is waited for before the audit trail says it timed out (sign-in-audit.ts). */
  codeWindowMs?: number;
}

/**
 * The iCloud client: endpoints, HTTP with a persistent cookie jar, the stored session, the sign-in
 * state machine and the CloudKit transport the Photos code uses. Open with `ICloudClient.open()`.
 */
export class ICloudClient implements SessionKeeper {
  readonly appleId: string;
  readonly endpoints: ICloudEndpoints;
  readonly auth: SignInMachine;
  readonly transport: CloudKitTransport;
  readonly http: AppleHttp;
  /** The sign-in audit trail (sign-in-audit.ts). */
  readonly audit: SignInAudit;
  private readonly store: SessionStore;
  private readonly logger: Logger;
  private readonly passwordProvider: PasswordProvider | undefined;
  private renewal: Promise<void> | undefined;
  private readyCount = 0;
  /** The saved web session is taken unchecked once per client; after that sign-ins ask Apple. */
  private savedSessionTried = false;
  /** Who drives the sign-in step under way, for the audit of the state changes it causes. */
  private stepSource: SignInSource | undefined;

  private constructor(
    options: ICloudClientOptions,
    store: SessionStore,
    private readonly session: SessionState,
    jar: CookieJar,
  ) {
    this.appleId = options.appleId;
    this.store = store;
    this.logger = options.logger ?? silentLogger;
    this.passwordProvider = options.passwordProvider;
    this.endpoints = resolveEndpoints(options.endpoints);
    this.http = new AppleHttp({
      cookieJar: jar,
      session,
      logger: this.logger,
      ...(options.dnsLookup ? { dnsLookup: options.dnsLookup } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    this.auth = new SignInMachine({
      accountName: options.appleId,
      idmsa: new IdmsaApi(this.http, this.endpoints, session),
      setup: new SetupApi(this.http, this.endpoints, session),
      session,
      logger: this.logger,
      persist: () => this.store.save(this.session.data, this.http.cookieJar),
      ...(options.signInRetry ? { retry: options.signInRetry } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.pcs ? { pcs: options.pcs } : {}),
    });
    this.audit = new SignInAudit(this.logger, options.auditSource, options.codeWindowMs);
    let previous = this.auth.state;
    this.auth.onChange((state) => {
      if (state.status === 'ready') this.readyCount += 1;
      this.audit.observe(previous, state, this.stepSource);
      previous = state;
    });
    this.transport = new SessionCloudKitTransport({
      http: this.http,
      endpoints: this.endpoints,
      session,
      keeper: this,
      logger: this.logger,
      ...(options.cloudKitRetry ? { retry: options.cloudKitRetry } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  }

  /** Loads the stored session of this Apple ID (if any); makes no network call. */
  static async open(options: ICloudClientOptions): Promise<ICloudClient> {
    const logger = options.logger ?? silentLogger;
    const store = new SessionStore(options.sessionFolder ?? defaultSessionFolder(), options.appleId, logger);
    const loaded = await store.load();
    const jar = loaded?.jar ?? new CookieJar();
    return new ICloudClient(options, store, new SessionState(loaded?.data), jar);
  }

  get state(): SignInState {
    return this.auth.state;
  }

  get webSession(): WebSession | undefined {
    return this.auth.webSession;
  }

  get generation(): number {
    return this.readyCount;
  }

  get adp(): boolean {
    return this.auth.webSession?.adp ?? false;
  }

  onStateChange(listener: SignInListener): () => void {
    return this.auth.onChange(listener);
  }

  /**
   * Reuse the stored session; if a password is needed, ask the password provider and sign in.
   * Ends 'ready', 'needs-code' (drive requestCode/submitCode), or 'signed-out' with no provider.
   */
  async connect(): Promise<SignInState> {
    const resumed = await this.auth.resume();
    if (resumed.status === 'ready' || !this.passwordProvider) return resumed;
    const password = await this.passwordProvider();
    if (!password) return resumed;
    return this.signIn(password);
  }

  /** `source`: who typed the password (default: this client's host), for the audit trail. */
  signIn(password: string, source?: SignInSource): Promise<SignInState> {
    return this.audited(source, 'password-submitted', () => this.auth.signIn(password), (state) => {
      if (state.status === 'ready') this.audit.record('signed-in', source);
    }, (code) => this.audit.record('sign-in-failed', source, { code }));
  }

  requestCode(channel: CodeChannel, source?: SignInSource): Promise<SignInState> {
    return this.audited(source, 'code-requested', () => this.auth.requestCode(channel), () => {
      this.audit.record('code-sent', source, { channel: channel.channel });
      this.audit.startCodeWindow(source ?? this.audit.defaultSource);
    }, (code) => this.audit.record('code-not-sent', source, { code, channel: channel.channel }), { channel: channel.channel });
  }

  submitCode(code: string, source?: SignInSource): Promise<SignInState> {
    return this.audited(source, 'code-submitted', () => this.auth.submitCode(code), (state) => {
      this.audit.record('code-accepted', source);
      if (state.status === 'ready') this.audit.record('signed-in', source);
    }, (refusal, error) => {
      const attemptsLeft = error instanceof ICloudError ? error.attemptsLeft : undefined;
      this.audit.record('code-refused', source, { code: refusal, ...(attemptsLeft !== undefined ? { attemptsLeft } : {}) });
    });
  }

  /** Runs one sign-in step between its audit lines: what was asked, then how it ended. */
  private async audited(
    source: SignInSource | undefined,
    asked: 'password-submitted' | 'code-requested' | 'code-submitted',
    step: () => Promise<SignInState>,
    done: (state: SignInState) => void,
    refused: (code: ICloudError['code'], error: unknown) => void,
    detail: { channel?: CodeChannel['channel'] } = {},
  ): Promise<SignInState> {
    this.audit.record(asked, source, detail);
    this.stepSource = source;
    try {
      const state = await step();
      done(state);
      return state;
    } catch (error) {
      refused(error instanceof ICloudError ? error.code : 'APPLE_SERVER_ERROR', error);
      throw error;
    } finally {
      this.stepSource = undefined;
    }
  }

  /** For unattended use: a ready session, or an error saying what the user must do. */
  async ensureReady(): Promise<void> {
    if (this.auth.state.status === 'ready') return;
    if (this.renewal) return this.renewal;
    // A failed sign-in stays failed until the user acts: retrying per request would hammer Apple.
    if (this.auth.state.status === 'failed' && this.auth.state.error) throw this.auth.state.error;
    // A code entry is open (the CLI or the app is driving it): do not start another sign-in.
    if (this.auth.state.status === 'needs-code') throw new ICloudError('CODE_REQUIRED');
    // A run with a saved session goes straight to CloudKit: a separate `validate` would cost a
    // request per run, and a dead session answers the first CloudKit call with 401/421, which the
    // transport turns into reauthenticate() (issue 11: a no-change run in at most two requests).
    if (!this.savedSessionTried) {
      this.savedSessionTried = true;
      if (this.auth.adoptSavedSession()) return;
    }
    const state = await this.connect();
    if (state.status === 'ready') return;
    if (state.status === 'needs-code') throw new ICloudError('CODE_REQUIRED');
    throw new ICloudError(this.passwordProvider ? 'PASSWORD_REQUIRED' : 'AUTH_REQUIRED');
  }

  /** Renew an expired web session once: stored tokens, then SRP with the trust token. */
  reauthenticate(generation: number): Promise<void> {
    if (generation !== this.readyCount && this.auth.state.status === 'ready') return Promise.resolve();
    this.renewal ??= this.renew().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  private async renew(): Promise<void> {
    this.logger.info({}, 'renewing the iCloud web session');
    this.auth.reset();
    const state = await this.connect();
    if (state.status === 'ready') return;
    if (state.status === 'needs-code') throw new ICloudError('CODE_REQUIRED', { detail: 'trust expired during the run' });
    throw new ICloudError(this.passwordProvider ? 'PASSWORD_REQUIRED' : 'AUTH_REQUIRED');
  }

  /** When Apple will ask for a code again (from the stored cookies), so the app can warn ahead. */
  trustExpiresAt(): Promise<Date | undefined> {
    return this.store.trustExpiresAt();
  }

  /** Sign out: tell Apple when a session is open (best effort), then delete the session files. */
  async signOut(): Promise<void> {
    if (this.auth.state.status === 'ready') {
      try {
        await new SetupApi(this.http, this.endpoints, this.session).logout();
      } catch {
        this.logger.info({}, 'could not reach iCloud to sign out; deleting the local session anyway');
      }
    }
    await this.store.delete();
    await this.http.cookieJar.removeAllCookies();
    this.session.data = { clientId: this.session.data.clientId };
    this.auth.reset();
  }

  /** Closes idle connections; the client can still be used afterwards (new ones open). */
  close(): void {
    // A closed client's code is no longer waited for (the host reopens a client to pick up a new session).
    this.audit.stopCodeWindow();
    this.http.close();
  }

  /** Paths of the session files (for the CLI's status output). */
  get sessionFiles(): { session: string; cookies: string } {
    return { session: this.store.sessionPath, cookies: this.store.cookiePath };
  }
}
