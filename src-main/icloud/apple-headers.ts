import { authOrigin, type ICloudEndpoints } from './endpoints.js';
import type { SessionData } from './session/session-state.js';

/** The iCloud.com web client id; identical in every client (spec 1.2). */
export const WIDGET_KEY = 'd39ba9916b7251055b22c7f910e2ea796ee65e98b2ddecea8f5dde8d9d1a815d';

// Keep current: Apple has rejected clients that emulate an old browser (icloudpd 1.29.2).
export const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

export const CLIENT_BUILD_NUMBER = '2534Project66';
export const CLIENT_MASTERING_NUMBER = '2534B22';

/** Headers of every idmsa call (spec 1.2), with the newest scnt and session id when we have them. */
export function idmsaHeaders(endpoints: ICloudEndpoints, session: SessionData): Record<string, string> {
  const origin = authOrigin(endpoints);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/javascript',
    'User-Agent': USER_AGENT,
    'X-Apple-Widget-Key': WIDGET_KEY,
    'X-Apple-OAuth-Client-Id': WIDGET_KEY,
    'X-Apple-OAuth-Client-Type': 'firstPartyAuth',
    'X-Apple-OAuth-Response-Type': 'code',
    'X-Apple-OAuth-Response-Mode': 'web_message',
    'X-Apple-OAuth-Redirect-URI': endpoints.webOrigin,
    'X-Apple-OAuth-Require-Grant-Code': 'true',
    'X-Apple-OAuth-State': session.clientId,
    'X-Apple-Frame-Id': session.clientId,
    Origin: origin,
    Referer: `${origin}/`,
  };
  if (session.scnt) headers.scnt = session.scnt;
  if (session.sessionId) headers['X-Apple-ID-Session-Id'] = session.sessionId;
  if (session.authAttributes) headers['X-Apple-Auth-Attributes'] = session.authAttributes;
  return headers;
}

/** Headers of setup and CloudKit calls: the web origin, as the iCloud.com page sends them. */
export function webHeaders(endpoints: ICloudEndpoints, contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    Accept: 'application/json',
    'User-Agent': USER_AGENT,
    Origin: endpoints.webOrigin,
    Referer: `${endpoints.webOrigin}/`,
  };
}

/** Query parameters of setup calls after accountLogin and of all CloudKit calls (spec 3.3). */
export function clientQuery(session: SessionData): Record<string, string> {
  const query: Record<string, string> = {
    clientBuildNumber: CLIENT_BUILD_NUMBER,
    clientMasteringNumber: CLIENT_MASTERING_NUMBER,
    clientId: session.clientId,
  };
  if (session.dsid) query.dsid = session.dsid;
  return query;
}
