import got, { type Got, type Response } from 'got';
import { CookieJar } from 'tough-cookie';
import { z } from 'zod';
import { simLookup } from './lookup.js';
import { WIDGET_KEY } from './auth/auth-headers.js';
import { TestSrpClient } from './test-srp-client.js';

const InitAnswer = z.object({
  iteration: z.number().int(),
  salt: z.string(),
  protocol: z.enum(['s2k', 's2k_fo']),
  b: z.string(),
  c: z.string(),
});

export interface TestClientUrls {
  auth: string;
  setup: string;
  webOrigin: string;
  /** Needed only for cloudKit(). */
  ckdatabase?: string;
}

/** The query parameters icloud.com's web client sends on every CloudKit call (spec 3.3). */
const CLOUDKIT_PARAMS = { clientBuildNumber: '2534Project66', clientMasteringNumber: '2534B22', clientId: 'sim-test', remapEnums: 'true' };

/**
 * A small, independent HTTP client for the simulator's own integration tests: got + tough-cookie
 * + simLookup, keeping the idmsa conversation headers the way real clients do (spec 1.3).
 */
export class SimTestClient {
  readonly jar = new CookieJar();
  readonly http: Got;
  scnt?: string;
  sessionId?: string;
  sessionToken?: string;
  trustToken?: string;
  accountCountry?: string;

  constructor(readonly urls: TestClientUrls) {
    this.http = got.extend({
      dnsLookup: simLookup as never,
      cookieJar: this.jar,
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: false,
      hooks: { afterResponse: [(res) => this.capture(res)] },
    });
  }

  private capture(res: Response): Response {
    const h = res.headers;
    const take = (name: string): string | undefined => {
      const v = h[name];
      return Array.isArray(v) ? v[0] : v;
    };
    this.scnt = take('scnt') ?? this.scnt;
    this.sessionId = take('x-apple-id-session-id') ?? this.sessionId;
    this.sessionToken = take('x-apple-session-token') ?? this.sessionToken;
    this.trustToken = take('x-apple-twosv-trust-token') ?? this.trustToken;
    this.accountCountry = take('x-apple-id-account-country') ?? this.accountCountry;
    return res;
  }

  authHeaders(extra: Record<string, string | undefined> = {}): Record<string, string> {
    const headers: Record<string, string | undefined> = {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/javascript',
      'X-Apple-Widget-Key': WIDGET_KEY,
      'X-Apple-OAuth-Client-Id': WIDGET_KEY,
      'X-Apple-OAuth-Client-Type': 'firstPartyAuth',
      'X-Apple-OAuth-Response-Type': 'code',
      'X-Apple-OAuth-Response-Mode': 'web_message',
      Origin: 'https://idmsa.apple.com',
      scnt: this.scnt,
      'X-Apple-ID-Session-Id': this.sessionId,
      ...extra,
    };
    return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  }

  auth(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, headers: Record<string, string | undefined> = {}): Promise<Response<string>> {
    return this.http(`${this.urls.auth}${path}`, {
      method,
      headers: this.authHeaders(headers),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** signin/init + signin/complete; answers the complete response (200, 409, 401, …). */
  async signIn(accountName: string, password: string): Promise<Response<string>> {
    const srp = new TestSrpClient();
    const init = await this.auth('POST', '/signin/init', { a: srp.aBase64, accountName, protocols: ['s2k', 's2k_fo'] });
    if (init.statusCode !== 200) return init;
    const answer = InitAnswer.parse(JSON.parse(init.body));
    const { m1, m2 } = srp.proofs(accountName, password, answer);
    return this.auth('POST', '/signin/complete?isRememberMeEnabled=true', {
      accountName,
      rememberMe: true,
      m1,
      m2,
      c: answer.c,
      trustTokens: this.trustToken ? [this.trustToken] : [],
    });
  }

  setup(path: string, body: string): Promise<Response<string>> {
    return this.http.post(`${this.urls.setup}${path}`, {
      headers: { 'Content-Type': 'application/json', Origin: this.urls.webOrigin, Referer: `${this.urls.webOrigin}/` },
      body,
    });
  }

  accountLogin(): Promise<Response<string>> {
    return this.setup(
      '/accountLogin',
      JSON.stringify({ dsWebAuthToken: this.sessionToken, trustToken: this.trustToken ?? '', accountCountryCode: this.accountCountry, extended_login: true }),
    );
  }

  validate(): Promise<Response<string>> {
    return this.setup('/validate', 'null');
  }

  /** POST `{}` to the Photos private database as the web client would, with the web origin and cookies. */
  cloudKit(dsid: string, path: string, options: { headers?: Record<string, string>; params?: Record<string, string> } = {}): Promise<Response<string>> {
    if (!this.urls.ckdatabase) throw new Error('SimTestClient: no ckdatabase URL given');
    const params = new URLSearchParams({ ...CLOUDKIT_PARAMS, dsid, ...options.params });
    return this.http.post(`${this.urls.ckdatabase}/database/1/com.apple.photos.cloud/production/private/${path}?${params}`, {
      headers: { 'Content-Type': 'text/plain', Origin: this.urls.webOrigin, ...options.headers },
      body: '{}',
    });
  }
}
