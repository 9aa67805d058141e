import { ICloudError } from '../errors.js';
import type { HttpAnswer } from '../http.js';
import { accountLoginSchema } from '../responses/setup-responses.js';

/** What a web session gives the Photos code. */
export interface WebSession {
  dsid: string;
  ckdatabasewsUrl: string;
  /** ADP with web access on: Photos needs the PCS cookies (spec 3.7). */
  pcsRequired: boolean;
  adp: boolean;
}

export type LoginOutcome =
  | { kind: 'ready'; session: WebSession }
  /** The web session exists but two-factor is still owed. */
  | { kind: 'needs-2fa' }
  /** The stored token or cookies were refused (421/450/500/other 4xx): sign in again. */
  | { kind: 'invalid'; status: number };

/**
 * Reads an accountLogin or validate answer (spec 3.1, 3.2). Throws for account conditions a new
 * sign-in cannot fix (wrong region, legacy 2SA, web access off, terms to accept).
 */
export function interpretAccountLogin(answer: HttpAnswer): LoginOutcome {
  if (answer.status !== 200) return { kind: 'invalid', status: answer.status };
  const parsed = accountLoginSchema.safeParse(answer.json);
  if (!parsed.success) {
    throw new ICloudError('PROTOCOL_CHANGED', { detail: `accountLogin answer: ${parsed.error.issues[0]?.path.join('.')}` });
  }
  const login = parsed.data;
  if (login.domainToUse) throw new ICloudError('WRONG_REGION', { detail: `Apple says use ${login.domainToUse}` });
  if (login.hasError || !login.dsInfo) return { kind: 'invalid', status: answer.status };
  const hsaVersion = login.dsInfo.hsaVersion ?? 0;
  const challengeOwed = login.hsaChallengeRequired === true || login.hsaTrustedBrowser !== true;
  if (hsaVersion === 1 && challengeOwed) throw new ICloudError('TWO_STEP_UNSUPPORTED');
  if (hsaVersion === 2 && challengeOwed) return { kind: 'needs-2fa' };
  if (login.dsInfo.isWebAccessAllowed === false) throw new ICloudError('WEB_ACCESS_DISABLED', { detail: 'dsInfo.isWebAccessAllowed is false' });
  if (login.termsUpdateNeeded || login.isRepairNeeded) throw new ICloudError('REPAIR_NEEDED');
  const ckdatabasews = login.webservices?.ckdatabasews;
  if (!ckdatabasews) throw new ICloudError('ICLOUD_NOT_READY', { detail: 'no ckdatabasews service in accountLogin' });
  return {
    kind: 'ready',
    session: {
      dsid: login.dsInfo.dsid,
      ckdatabasewsUrl: ckdatabasews.url.replace(/\/+$/, ''),
      pcsRequired: ckdatabasews.pcsRequired === true,
      adp: login.iCDPEnabled === true || login.dsInfo.iCDPEnabled === true,
    },
  };
}
