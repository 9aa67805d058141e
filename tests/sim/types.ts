import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The simulator serves every Apple role from one port; the Host header says which role a request
 * is for, so cookies scoped to a host name behave as they do at Apple.
 */
export type SimRole = 'auth' | 'web' | 'setup' | 'ckdatabase' | 'content';

/** Host names of the roles. Every *.test name resolves to 127.0.0.1 through `simLookup`. */
export const SIM_HOSTS: Record<SimRole, string> = {
  auth: 'idmsa.apple.test',
  web: 'www.icloud.test',
  setup: 'setup.icloud.test',
  ckdatabase: 'p42-ckdatabasews.icloud.test',
  content: 'cvws.icloud-content.test',
};

/** The cookie domain of the web session, as `.icloud.com` is at Apple. */
export const SIM_WEB_COOKIE_DOMAIN = '.icloud.test';

export interface SimRequest {
  role: SimRole;
  method: string;
  /** Path without the query string, percent-decoding NOT applied. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  cookies: Record<string, string>;
  body: Buffer;
  raw: IncomingMessage;
}

export type RouteHandler = (req: SimRequest, res: ServerResponse) => void | Promise<void>;

/** What the CloudKit and download routes ask of the session layer. */
export interface WebSessionCheck {
  /** Ok with the account's dsid, or the answer Apple gives for a missing/expired web session. */
  check(req: SimRequest): { ok: true; dsid: string } | { ok: false; status: number; body: unknown };
}

/** Account conditions the real service has; switchable at run time. */
export interface SimConditions {
  /** "Access iCloud Data on the Web" off: CloudKit answers ACCESS_DENIED. */
  webAccessDisabled: boolean;
  /** Advanced Data Protection on (with web access on): ckdatabasews.pcsRequired, PCS consent flow. */
  adp: boolean;
  /** Sign-in throttled: 503 HTML on signin/init, with Retry-After when a number is given. */
  throttled: false | { retryAfterSeconds?: number };
  /** Account locked: -20209 on sign-in. */
  locked: boolean;
  /** CheckIndexingState answers RUNNING. */
  indexing: boolean;
  /**
   * Apple wants the account "repaired" (terms, non-2FA account): 412 `{"authType":"sa"}` at
   * signin/complete after a correct password ('signin'), or at the code verify after a correct code
   * ('verify'); `POST repair/complete` clears it. 'fails' also makes repair/complete refuse.
   */
  repair: false | 'signin' | 'verify' | 'fails';
  /** Security keys on the account: the 409 carries fsaChallenge/keyNames and codes are refused. */
  securityKeys: boolean;
  /** Legacy two-step (2SA): accountLogin says hsaVersion 1 with a challenge owed; no hsa2 flow. */
  legacyTwoStep: boolean;
  /** 429 with Retry-After on every idmsa call. */
  rateLimited: false | { retryAfterSeconds: number };
  /** idmsa answers its errors as HTTP 200 with the real status in X-Apple-I-Rscd (spec 6). */
  statusInRscd: boolean;
  /** The account belongs to the China region: accountLogin answers `{"domainToUse":"iCloud.com.cn"}`. */
  chinaAccount: boolean;
  /** accountLogin says termsUpdateNeeded: true (new iCloud terms to accept at icloud.com). */
  termsUpdateNeeded: boolean;
}

/** Fault injection; every rate is a share of matching requests, 0..1, drawn from a seeded PRNG. */
export interface FaultOptions {
  /** Share of requests (any role) answered 500/502 before being handled. */
  errorRate: number;
  /** Share of requests answered 503 with Retry-After. */
  retryAfterRate: number;
  retryAfterSeconds: number;
  /** Share of downloads whose connection is destroyed after part of the body. */
  resetRate: number;
  /** Share of downloads that end cleanly but early (fewer bytes than Content-Length). */
  truncateRate: number;
  /**
   * Downloads send this many bytes of the body, then hold the connection open and send nothing more
   * until the fault is switched off again (the rest follows) or the client goes away. 0 = off. For
   * tests that stop or quit while a download is surely in the middle of its body.
   */
  stallAfterBytes: number;
  /** Extra delay before every answer, ms: a network latency to measure against. */
  slowMs: number;
  /** Up to this many ms more on each answer, drawn per request (seeded): latency jitter. */
  jitterMs: number;
  /** The web session expires after this many setup/CloudKit requests (0 = never). */
  expireSessionAfterRequests: number;
}

export const NO_FAULTS: FaultOptions = {
  errorRate: 0,
  retryAfterRate: 0,
  retryAfterSeconds: 1,
  resetRate: 0,
  truncateRate: 0,
  stallAfterBytes: 0,
  slowMs: 0,
  jitterMs: 0,
  expireSessionAfterRequests: 0,
};

/** What the server core hands to the CloudKit and download handlers. */
export interface SimContext {
  session: WebSessionCheck;
  conditions(): SimConditions;
  faults(): FaultOptions;
  /** Seeded random in [0,1) for fault decisions. */
  random(): number;
  /** Base URL of the content role, e.g. http://cvws.icloud-content.test:PORT */
  contentBaseUrl(): string;
  downloadUrlTtlMs(): number;
  /** Records a request that would change iCloud: tests assert this never happens. */
  recordViolation(req: SimRequest, reason: string): void;
}
