import { ICloudError } from './errors.js';
import { retryAfterDate, type HttpAnswer } from './http.js';
import { cloudKitErrorSchema } from './responses/setup-responses.js';

/** What the transport does with one CloudKit answer (spec 6). */
export type CloudKitOutcome =
  | { kind: 'ok'; json: unknown }
  /** The web session is gone: re-authenticate once, then repeat. */
  | { kind: 'reauth'; detail: string }
  /** Throttled (429/503/RETRY_LATER…): a few backoff retries honouring Retry-After. */
  | { kind: 'throttled'; detail: string; retryAfter?: Date }
  /** Another server error: retried a couple of times. */
  | { kind: 'server-error'; detail: string }
  | { kind: 'fail'; error: ICloudError };

const TRANSIENT_CODES = new Set(['RETRY_LATER', 'TRY_AGAIN_LATER', 'THROTTLED', 'CAS_OP_LOCK']);
const NOT_READY_CODES = new Set(['ZONE_NOT_FOUND', 'AUTHENTICATION_FAILED']);

export function classifyCloudKitAnswer(answer: HttpAnswer, adp: boolean): CloudKitOutcome {
  const status = answer.status;
  const body = cloudKitErrorSchema.safeParse(answer.json ?? {});
  const serverCode = body.success ? body.data.serverErrorCode : undefined;
  const reason = body.success ? body.data.reason : undefined;
  const detail = `CloudKit answered ${status}${serverCode ? ` ${serverCode}` : ''}`;

  if (serverCode === 'ACCESS_DENIED') {
    // With ADP on and web access allowed, a refusal means the device approval (PCS) is missing.
    return { kind: 'fail', error: new ICloudError(adp ? 'ADP_APPROVAL_NEEDED' : 'WEB_ACCESS_DISABLED', { detail }) };
  }
  if (serverCode && NOT_READY_CODES.has(serverCode)) return { kind: 'fail', error: new ICloudError('ICLOUD_NOT_READY', { detail }) };
  if ((serverCode && TRANSIENT_CODES.has(serverCode)) || status === 429 || status === 503) {
    const retryAfter = retryAfterDate(answer.headers);
    return { kind: 'throttled', detail, ...(retryAfter ? { retryAfter } : {}) };
  }
  if (status === 401 || status === 403 || status === 421 || status === 450) return { kind: 'reauth', detail };
  if (reason && /X-APPLE-WEBAUTH-(TOKEN|USER)/.test(reason)) return { kind: 'reauth', detail: `${detail}: ${reason}` };
  if (status >= 500) return { kind: 'server-error', detail };
  if (status === 200) {
    if (answer.json === undefined) return { kind: 'fail', error: new ICloudError('PROTOCOL_CHANGED', { detail: 'CloudKit answer is not JSON' }) };
    return { kind: 'ok', json: answer.json };
  }
  return { kind: 'fail', error: new ICloudError('PROTOCOL_CHANGED', { detail }) };
}
