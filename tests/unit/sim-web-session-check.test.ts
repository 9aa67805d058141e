import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { COOKIE, tokenCookieValue, WebSessionStore } from '../sim/setup/web-sessions.js';
import type { SimRequest } from '../sim/types.js';

function request(cookies: Record<string, string>, query = ''): SimRequest {
  return {
    role: 'ckdatabase',
    method: 'POST',
    path: '/database/1/com.apple.photos.cloud/production/private/records/query',
    query: new URLSearchParams(query),
    headers: {},
    cookies,
    body: Buffer.alloc(0),
    raw: {} as IncomingMessage,
  };
}

function setup(limit = 0, pcs = false) {
  let clock = 1_000;
  const store = new WebSessionStore(() => clock, { maxRequests: () => limit, pcsRequired: () => pcs });
  const session = store.open('11234567890', 60_000, true);
  const cookies = { [COOKIE.user]: '"v=1:s=1:d=11234567890"', [COOKIE.token]: tokenCookieValue(session.id) };
  return { store, session, cookies, advance: (ms: number) => (clock += ms) };
}

describe('the web session check the CloudKit routes use', () => {
  it('passes a live session and hands back its dsid', () => {
    const { store, cookies } = setup();
    expect(store.check(request(cookies, 'dsid=11234567890'))).toEqual({ ok: true, dsid: '11234567890' });
  });

  it('answers 421 without the user cookie and 401 without the token cookie', () => {
    const { store, cookies } = setup();
    expect(store.check(request({ [COOKIE.token]: cookies[COOKIE.token]! }))).toMatchObject({ ok: false, status: 421 });
    expect(store.check(request({ [COOKIE.user]: cookies[COOKIE.user]! }))).toMatchObject({
      ok: false,
      status: 401,
      body: { reason: 'Missing X-APPLE-WEBAUTH-TOKEN cookie' },
    });
  });

  it('answers 401 after the session lifetime, and for another account dsid', () => {
    const { store, cookies, advance } = setup();
    expect(store.check(request(cookies, 'dsid=999'))).toMatchObject({ ok: false, status: 401 });
    advance(60_001);
    expect(store.check(request(cookies))).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 401 once the session has served its request limit', () => {
    const { store, cookies } = setup(2);
    const results = [1, 2, 3].map(() => {
      store.countRequest(cookies);
      return store.check(request(cookies)).ok;
    });
    expect(results).toEqual([true, true, false]);
  });

  it('with ADP, refuses with ACCESS_DENIED until PCS cookies were granted', () => {
    const { store, session, cookies } = setup(0, true);
    expect(store.check(request(cookies))).toMatchObject({ ok: false, status: 403, body: { serverErrorCode: 'ACCESS_DENIED' } });
    session.pcsGranted = true;
    expect(store.check(request({ ...cookies, [COOKIE.pcsPhotos]: '"v=1:t=x"' }))).toMatchObject({ ok: true });
  });
});
