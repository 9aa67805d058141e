import { clientQuery, webHeaders } from './apple-headers.js';
import { CLOUDKIT_RETRY, realSleep, retryDelay, type RetryPolicy, type Sleep } from './backoff.js';
import { classifyCloudKitAnswer, type CloudKitOutcome } from './cloudkit-errors.js';
import type { ICloudEndpoints } from './endpoints.js';
import { ICloudError, isICloudError, throttledError } from './errors.js';
import type { AppleHttp } from './http.js';
import type { Logger } from './logger.js';
import type { CloudKitDatabase, CloudKitTransport } from './photos/cloudkit-transport.js';
import type { SessionState } from './session/session-state.js';

const CONTAINER = 'com.apple.photos.cloud';

/**
 * The only CloudKit calls this app makes, all of them reads (spec 4.3-4.12). Anything else, such as
 * records/modify, is refused before it leaves the process: the product must never change iCloud.
 */
export const READ_ONLY_PATHS: ReadonlySet<string> = new Set([
  'zones/list',
  'changes/database',
  'changes/zone',
  'records/query',
  'records/lookup',
  'internal/records/query/batch',
]);

type TransportOutcome = CloudKitOutcome | { kind: 'unreachable'; detail: string; error: ICloudError };

/** What the transport needs from the client: a ready session and a way to renew it. */
export interface SessionKeeper {
  /** Resolves once a web session is ready; throws AUTH_REQUIRED / CODE_REQUIRED / PASSWORD_REQUIRED. */
  ensureReady(): Promise<void>;
  /** Renew the web session unless it was already renewed since `generation`. */
  reauthenticate(generation: number): Promise<void>;
  readonly generation: number;
  readonly adp: boolean;
}

export interface TransportOptions {
  http: AppleHttp;
  endpoints: ICloudEndpoints;
  session: SessionState;
  keeper: SessionKeeper;
  logger: Logger;
  retry?: RetryPolicy;
  sleep?: Sleep;
}

/** CloudKit calls for the Photos code (spec 4.1): query params, cookies, retries, one transparent re-auth. */
export class SessionCloudKitTransport implements CloudKitTransport {
  constructor(private readonly options: TransportOptions) {}

  async post(database: CloudKitDatabase, path: string, body: unknown): Promise<unknown> {
    const call = path.replace(/^\/+/, '');
    if (!READ_ONLY_PATHS.has(call)) throw new Error(`refusing CloudKit call ${call}: this client only reads iCloud`);
    const { keeper, logger } = this.options;
    const policy = this.options.retry ?? CLOUDKIT_RETRY;
    const serverErrorPolicy = { ...policy, retries: Math.min(2, policy.retries) };
    const sleep = this.options.sleep ?? realSleep;
    let reauthenticated = false;
    let throttledTries = 0;
    let serverErrorTries = 0;
    for (;;) {
      await keeper.ensureReady();
      const generation = keeper.generation;
      const outcome = await this.attempt(database, call, body, keeper.adp);
      if (outcome.kind === 'ok') return outcome.json;
      if (outcome.kind === 'fail') throw outcome.error;
      if (outcome.kind === 'reauth') {
        if (reauthenticated) throw new ICloudError('AUTH_REQUIRED', { detail: `${outcome.detail} after re-authenticating` });
        reauthenticated = true;
        logger.info({ path: call, detail: outcome.detail }, 'web session ended; re-authenticating once');
        await keeper.reauthenticate(generation);
        continue;
      }
      const isThrottle = outcome.kind === 'throttled';
      const retryAfter = isThrottle ? outcome.retryAfter : undefined;
      const delay = isThrottle
        ? retryDelay(policy, throttledTries++, retryAfter)
        : retryDelay(serverErrorPolicy, serverErrorTries++);
      if (delay === undefined) {
        if (isThrottle) throw throttledError({ detail: outcome.detail }, retryAfter);
        throw outcome.kind === 'unreachable' ? outcome.error : new ICloudError('APPLE_SERVER_ERROR', { detail: outcome.detail });
      }
      logger.warn({ path: call, detail: outcome.detail, waitMs: Math.round(delay) }, 'CloudKit call failed for now; retrying');
      await sleep(delay);
    }
  }

  /**
   * One request and what to do with its answer. A network failure is retried like a server error:
   * these calls only read, so repeating them is safe, and a keep-alive connection that the server
   * closed meanwhile fails exactly like this.
   */
  private async attempt(database: CloudKitDatabase, call: string, body: unknown, adp: boolean): Promise<TransportOutcome> {
    try {
      return classifyCloudKitAnswer(await this.send(database, call, body), adp);
    } catch (error) {
      if (isICloudError(error, 'NETWORK')) return { kind: 'unreachable', detail: error.detail ?? 'network failure', error };
      throw error;
    }
  }

  private send(database: CloudKitDatabase, path: string, body: unknown) {
    const { http, endpoints, session } = this.options;
    const base = session.data.ckdatabasewsUrl;
    if (!base) throw new ICloudError('AUTH_REQUIRED', { detail: 'no CloudKit address: not signed in' });
    return http.request({
      method: 'POST',
      url: `${base}/database/1/${CONTAINER}/production/${database}/${path}`,
      role: 'ckdatabase',
      headers: webHeaders(endpoints, 'text/plain'),
      body: JSON.stringify(body),
      searchParams: { ...clientQuery(session.data), remapEnums: 'true', getCurrentSyncToken: 'true' },
    });
  }
}
