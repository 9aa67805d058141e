import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { SrpByteConvention } from '../srp.js';

/**
 * The auth conversation and web session of one Apple ID: what spec 1.3 says to capture from
 * response headers, plus what accountLogin told us. Everything here is secret except `clientId`,
 * `accountCountry`, `dsid` and `ckdatabasewsUrl`: never log it.
 */
export interface SessionData {
  clientId: string;
  sessionId?: string;
  sessionToken?: string;
  scnt?: string;
  accountCountry?: string;
  trustToken?: string;
  trustEligible?: boolean;
  authAttributes?: string;
  dsid?: string;
  ckdatabasewsUrl?: string;
  /** What accountLogin said of ADP and PCS for this web session: lets a run reuse it without asking (client.ts). */
  adp?: boolean;
  pcsRequired?: boolean;
  /** The SRP byte convention Apple accepted for this account, when it is not the default (srp.ts). */
  srpConvention?: SrpByteConvention;
}

/** Response header (lower case, as Node gives it) -> where it goes. */
const CAPTURED: ReadonlyArray<[string, keyof SessionData]> = [
  ['scnt', 'scnt'],
  ['x-apple-id-session-id', 'sessionId'],
  ['x-apple-session-token', 'sessionToken'],
  ['x-apple-twosv-trust-token', 'trustToken'],
  ['x-apple-id-account-country', 'accountCountry'],
  ['x-apple-auth-attributes', 'authAttributes'],
];

export function newClientId(): string {
  return `auth-${randomUUID()}`;
}

export class SessionState {
  data: SessionData;

  constructor(data?: Partial<SessionData>) {
    this.data = { clientId: data?.clientId ?? newClientId(), ...data };
  }

  /** Keep the newest value of every session header: they rotate on any answer, errors included. */
  capture(headers: IncomingHttpHeaders): void {
    for (const [header, key] of CAPTURED) {
      const value = firstValue(headers[header]);
      if (value) (this.data[key] as string | undefined) = value;
    }
    const eligible = firstValue(headers['x-apple-twosv-trust-eligible']);
    if (eligible) this.data.trustEligible = eligible === 'true';
  }

  /** Forget the auth conversation (not the trust token): a new sign-in starts a new one. */
  resetConversation(): void {
    delete this.data.scnt;
    delete this.data.sessionId;
    delete this.data.authAttributes;
  }

  forgetWebSession(): void {
    delete this.data.sessionToken;
    delete this.data.dsid;
    delete this.data.ckdatabasewsUrl;
    delete this.data.adp;
    delete this.data.pcsRequired;
  }
}

export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
