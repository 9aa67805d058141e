import { clientQuery, webHeaders } from '../apple-headers.js';
import type { ICloudEndpoints } from '../endpoints.js';
import type { AppleHttp, HttpAnswer } from '../http.js';
import type { SessionState } from '../session/session-state.js';

/** The setup-host calls (spec 3.1, 3.2, 3.7, 3.8). */
export class SetupApi {
  constructor(
    private readonly http: AppleHttp,
    private readonly endpoints: ICloudEndpoints,
    private readonly session: SessionState,
  ) {}

  private post(path: string, body: string, withQuery: boolean): Promise<HttpAnswer> {
    return this.http.request({
      method: 'POST',
      url: `${this.endpoints.setup}${path}`,
      role: 'setup',
      headers: webHeaders(this.endpoints, 'application/json'),
      body,
      ...(withQuery ? { searchParams: clientQuery(this.session.data) } : {}),
    });
  }

  accountLogin(): Promise<HttpAnswer> {
    const data = this.session.data;
    const body = {
      dsWebAuthToken: data.sessionToken ?? '',
      trustToken: data.trustToken ?? '',
      accountCountryCode: data.accountCountry ?? '',
      extended_login: true,
    };
    return this.post('/accountLogin', JSON.stringify(body), false);
  }

  /** Body is the literal text `null`: the cookies are the credentials. */
  validate(): Promise<HttpAnswer> {
    return this.post('/validate', 'null', false);
  }

  requestWebAccessState(): Promise<HttpAnswer> {
    return this.post('/requestWebAccessState', '{}', true);
  }

  enableDeviceConsentForPcs(): Promise<HttpAnswer> {
    return this.post('/enableDeviceConsentForPCS', '{}', true);
  }

  requestPcs(derivedFromUserAction: boolean): Promise<HttpAnswer> {
    return this.post('/requestPCS', JSON.stringify({ appName: 'photos', derivedFromUserAction }), true);
  }

  logout(): Promise<HttpAnswer> {
    return this.post('/logout', JSON.stringify({ trustBrowser: true, allBrowsers: false }), true);
  }
}
