import { idmsaHeaders } from '../apple-headers.js';
import type { ICloudEndpoints } from '../endpoints.js';
import type { AppleHttp, HttpAnswer } from '../http.js';
import type { SessionState } from '../session/session-state.js';

/**
 * The idmsa calls of the sign-in (spec 1.5-1.6, 2.1-2.4), one function each. They only send;
 * the sign-in flow reads the answers. Each call carries the newest scnt and session id.
 */
export class IdmsaApi {
  constructor(
    private readonly http: AppleHttp,
    private readonly endpoints: ICloudEndpoints,
    private readonly session: SessionState,
  ) {}

  private call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, accept?: string): Promise<HttpAnswer> {
    const headers = idmsaHeaders(this.endpoints, this.session.data);
    if (accept) headers.Accept = accept;
    return this.http.request({
      method,
      url: `${this.endpoints.auth}${path}`,
      role: 'auth',
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  signinInit(accountName: string, a: string): Promise<HttpAnswer> {
    return this.call('POST', '/signin/init', { a, accountName, protocols: ['s2k', 's2k_fo'] });
  }

  signinComplete(body: { accountName: string; m1: string; m2: string; c: string; trustTokens: string[] }): Promise<HttpAnswer> {
    return this.call('POST', '/signin/complete?isRememberMeEnabled=true', { ...body, rememberMe: true });
  }

  authOptions(): Promise<HttpAnswer> {
    return this.call('GET', '', undefined, 'application/json');
  }

  /** Since early 2026 Apple pushes a code to trusted devices only when asked like this. */
  requestDeviceCode(): Promise<HttpAnswer> {
    return this.call('PUT', '/verify/trusteddevice/securitycode');
  }

  requestSmsCode(phoneId: number, mode: 'sms' | 'voice' = 'sms'): Promise<HttpAnswer> {
    return this.call('PUT', '/verify/phone', { phoneNumber: { id: phoneId }, mode });
  }

  verifyDeviceCode(code: string): Promise<HttpAnswer> {
    return this.call('POST', '/verify/trusteddevice/securitycode', { securityCode: { code } });
  }

  verifySmsCode(code: string, phoneId: number, mode: 'sms' | 'voice' = 'sms'): Promise<HttpAnswer> {
    return this.call('POST', '/verify/phone/securitycode', { securityCode: { code }, phoneNumber: { id: phoneId }, mode });
  }

  trust(): Promise<HttpAnswer> {
    return this.call('GET', '/2sv/trust');
  }

  repairComplete(): Promise<HttpAnswer> {
    return this.call('POST', '/repair/complete', {});
  }
}
