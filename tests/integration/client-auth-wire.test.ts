import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ClientRequest, type IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_BUILD_NUMBER, CLIENT_MASTERING_NUMBER, WIDGET_KEY } from '../../src-main/icloud/apple-headers.js';
import { startSimulator, type Simulator } from '../sim/server.js';
import { openClient, tempFolder } from './client-auth-helpers.js';

/** One request as it left the client (captured from Node's http diagnostics channels), with its answer's headers. */
interface WireRequest {
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  answer?: Record<string, string>;
}

const lowerHeaders = (headers: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]));

/**
 * Records every outgoing HTTP request of this process: the real client code path, nothing stubbed.
 * Node publishes a request on the diagnostics channel only once its head is flushed, after the
 * body was handed over, so bodies are collected by wrapping ClientRequest's write/end meanwhile.
 */
function wiretap(): { requests: WireRequest[]; stop: () => void } {
  const requests: WireRequest[] = [];
  const bodies = new WeakMap<ClientRequest, string>();
  const entries = new Map<ClientRequest, WireRequest>();
  const proto = ClientRequest.prototype as unknown as Record<'write' | 'end', (this: ClientRequest, ...args: unknown[]) => unknown>;
  const original = { write: proto.write, end: proto.end };
  const keep = (request: ClientRequest, chunk: unknown): void => {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    const text = (bodies.get(request) ?? '') + Buffer.from(chunk).toString();
    bodies.set(request, text);
    const entry = entries.get(request);
    if (entry) entry.body = text;
  };
  proto.write = function write(this: ClientRequest, ...args: unknown[]) {
    keep(this, args[0]);
    return original.write.apply(this, args);
  };
  proto.end = function end(this: ClientRequest, ...args: unknown[]) {
    keep(this, args[0]);
    return original.end.apply(this, args);
  };
  const onStart = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    const url = new URL(request.path, 'http://x');
    const entry: WireRequest = {
      method: request.method,
      host: String(request.getHeader('host') ?? request.host),
      path: url.pathname,
      query: url.searchParams,
      headers: lowerHeaders(request.getHeaders()),
      body: bodies.get(request) ?? '',
    };
    requests.push(entry);
    entries.set(request, entry);
  };
  const onResponse = (message: unknown): void => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const entry = entries.get(request);
    if (entry) entry.answer = lowerHeaders(response.headers);
    entries.delete(request);
  };
  subscribe('http.client.request.start', onStart);
  subscribe('http.client.response.finish', onResponse);
  return {
    requests,
    stop: () => {
      Object.assign(proto, original);
      unsubscribe('http.client.request.start', onStart);
      unsubscribe('http.client.response.finish', onResponse);
    },
  };
}

/** What goes over the wire, checked against the protocol spec (1.2, 1.5, 1.6, 2.2-2.4, 3.1-3.3, 4.1). */
describe('client-auth: requests on the wire', () => {
  let sim: Simulator;
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  let tap: ReturnType<typeof wiretap>;

  beforeEach(async () => {
    sim = await startSimulator({ mfa: 'device', assets: 5 });
    folder = await tempFolder();
    tap = wiretap();
  });

  afterEach(async () => {
    tap.stop();
    await sim.close();
    await folder.remove();
  });

  const onHost = (host: string) => tap.requests.filter((r) => r.host.startsWith(host));
  const find = (method: string, path: string) => {
    const found = tap.requests.find((r) => r.method === method && r.path.endsWith(path));
    if (!found) throw new Error(`no ${method} ${path} on the wire`);
    return found;
  };

  it('sends every idmsa, setup and CloudKit request in the shape Apple expects', async () => {
    const client = await openClient(sim, folder.path);
    await client.signIn(sim.account.password);
    await client.requestCode({ channel: 'device' });
    await client.requestCode({ channel: 'sms', phoneId: 2 }); // the last channel asked is the one verified
    await client.submitCode(sim.code === '000000' ? '111111' : '000000').catch(() => undefined); // an error answer rotates scnt too
    await client.submitCode(sim.code);
    await client.transport.post('private', 'zones/list', {});

    const authOrigin = new URL(sim.urls.auth).origin;
    const idmsa = onHost(sim.hosts.auth);
    expect(idmsa.length).toBeGreaterThanOrEqual(7);
    for (const request of idmsa) {
      expect(request.headers).toMatchObject({
        'content-type': 'application/json',
        'x-apple-widget-key': WIDGET_KEY,
        'x-apple-oauth-client-id': WIDGET_KEY,
        'x-apple-oauth-client-type': 'firstPartyAuth',
        'x-apple-oauth-response-type': 'code',
        'x-apple-oauth-response-mode': 'web_message',
        'x-apple-oauth-redirect-uri': sim.urls.webOrigin,
        'x-apple-oauth-require-grant-code': 'true',
        origin: authOrigin,
        referer: `${authOrigin}/`,
      });
      expect(request.headers['x-apple-oauth-state']).toMatch(/^auth-[0-9a-f-]{36}$/);
      expect(request.headers['user-agent']).toMatch(/Mozilla\/5\.0/);
    }
    // scnt and the session id are those of the previous answer, rotated ones included.
    expect(idmsa[0]?.headers.scnt).toBeUndefined();
    for (let i = 1; i < idmsa.length; i++) {
      const previous = idmsa[i - 1]!.answer ?? {};
      if (previous.scnt) expect(idmsa[i]?.headers.scnt).toBe(previous.scnt);
      if (previous['x-apple-id-session-id']) expect(idmsa[i]?.headers['x-apple-id-session-id']).toBe(previous['x-apple-id-session-id']);
    }

    const init = JSON.parse(find('POST', '/signin/init').body) as Record<string, unknown>;
    expect(Object.keys(init).sort()).toEqual(['a', 'accountName', 'protocols']);
    expect(init).toMatchObject({ accountName: sim.account.appleId, protocols: ['s2k', 's2k_fo'] });
    expect(Buffer.from(String(init.a), 'base64').length).toBeGreaterThan(200);
    const complete = find('POST', '/signin/complete');
    expect(complete.query.get('isRememberMeEnabled')).toBe('true');
    expect(JSON.parse(complete.body)).toMatchObject({ accountName: sim.account.appleId, rememberMe: true, trustTokens: [], c: expect.any(String) });

    expect(find('GET', '/appleauth/auth').headers.accept).toBe('application/json');
    expect(find('PUT', '/verify/trusteddevice/securitycode').body).toBe('');
    expect(JSON.parse(find('PUT', '/verify/phone').body)).toEqual({ phoneNumber: { id: 2 }, mode: 'sms' });
    const verifies = tap.requests.filter((r) => r.path.endsWith('/verify/phone/securitycode'));
    expect(verifies).toHaveLength(2);
    expect(verifies[0]?.answer?.scnt).toBeDefined(); // the wrong code's error answer rotated scnt: the next call used it
    expect(verifies[1]?.headers.scnt).toBe(verifies[0]?.answer?.scnt);
    expect(JSON.parse(verifies[1]!.body)).toEqual({ securityCode: { code: sim.code }, phoneNumber: { id: 2 }, mode: 'sms' });
    const trust = find('GET', '/2sv/trust');

    const login = find('POST', '/accountLogin');
    expect(login.headers).toMatchObject({ origin: sim.urls.webOrigin, referer: `${sim.urls.webOrigin}/`, 'content-type': 'application/json' });
    expect([...login.query.keys()]).toEqual([]);
    expect(JSON.parse(login.body)).toEqual({
      dsWebAuthToken: trust.answer?.['x-apple-session-token'],
      trustToken: trust.answer?.['x-apple-twosv-trust-token'],
      accountCountryCode: expect.any(String),
      extended_login: true,
    });

    const cloudKit = find('POST', '/private/zones/list');
    expect(cloudKit.path).toBe('/database/1/com.apple.photos.cloud/production/private/zones/list');
    expect(cloudKit.headers).toMatchObject({ 'content-type': 'text/plain', origin: sim.urls.webOrigin });
    expect(Object.fromEntries(cloudKit.query)).toEqual({
      clientBuildNumber: CLIENT_BUILD_NUMBER,
      clientMasteringNumber: CLIENT_MASTERING_NUMBER,
      clientId: idmsa[0]?.headers['x-apple-oauth-state'],
      dsid: sim.account.dsid,
      remapEnums: 'true',
      getCurrentSyncToken: 'true',
    });
    expect(cloudKit.headers.cookie).toMatch(/X-APPLE-WEBAUTH-TOKEN=/);
  });

  it('reaches CloudKit from a fresh client with the stored cookies only, then offers the trust token on the next sign-in', async () => {
    const first = await openClient(sim, folder.path);
    await first.signIn(sim.account.password);
    await first.requestCode({ channel: 'device' });
    await first.submitCode(sim.code);
    const trustToken = find('GET', '/2sv/trust').answer?.['x-apple-twosv-trust-token'];
    first.close();
    tap.requests.length = 0;

    // The saved web session is used as it is: no validate before the first CloudKit call (issue 11).
    const fresh = await openClient(sim, folder.path);
    await fresh.transport.post('private', 'zones/list', {});
    expect(tap.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /database/1/com.apple.photos.cloud/production/private/zones/list',
    ]);
    expect(find('POST', '/private/zones/list').headers.cookie).toMatch(/X-APPLE-WEBAUTH-TOKEN=/);
    // Checking the saved session on purpose (`auth`, `doctor`) still sends validate, with body null.
    const checker = await openClient(sim, folder.path);
    expect((await checker.auth.resume()).status).toBe('ready');
    expect(find('POST', '/validate').body).toBe('null');
    checker.close();

    sim.expireWebSessions();
    await fresh.signIn(sim.account.password);
    expect(JSON.parse(find('POST', '/signin/complete').body).trustTokens).toEqual([trustToken]);
  });
});
