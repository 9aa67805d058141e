import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import { SimTestClient } from '../sim/test-client.js';
import { simLookup } from '../sim/lookup.js';
import { SIM_HOSTS } from '../sim/types.js';

let sim: Simulator;
const dir = mkdtempSync(join(tmpdir(), 'sim-auth-'));
const logPath = join(dir, 'requests.jsonl');
beforeAll(async () => {
  sim = await startSimulator({ seed: 11, mfa: 'device', assets: 5, logPath });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = (body: string): Record<string, unknown> => JSON.parse(body) as Record<string, unknown>;

async function trustedClient(): Promise<SimTestClient> {
  const client = new SimTestClient(sim.urls);
  const first = await client.signIn(sim.account.appleId, sim.account.password);
  if (first.statusCode === 409) {
    await client.auth('PUT', '/verify/trusteddevice/securitycode');
    expect((await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } })).statusCode).toBe(204);
    expect((await client.auth('GET', '/2sv/trust')).statusCode).toBe(204);
  }
  expect((await client.accountLogin()).statusCode).toBe(200);
  return client;
}

describe('account conditions', () => {
  it('throttles sign-in with a 503 HTML page and Retry-After, then recovers', async () => {
    sim.setConditions({ throttled: { retryAfterSeconds: 120 } });
    const res = await new SimTestClient(sim.urls).signIn(sim.account.appleId, sim.account.password);
    sim.setConditions({ throttled: false });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('120');
    expect(res.body).toMatch(/Service Temporarily Unavailable/);
    expect((await new SimTestClient(sim.urls).signIn(sim.account.appleId, sim.account.password)).statusCode).toBe(409);
  });

  it('answers a locked account with -20209', async () => {
    sim.setConditions({ locked: true });
    const res = await new SimTestClient(sim.urls).signIn(sim.account.appleId, sim.account.password);
    sim.setConditions({ locked: false });
    expect(res.statusCode).toBe(401);
    expect(json(res.body)).toMatchObject({ serviceErrors: [{ code: '-20209' }] });
  });

  it('reports web access and ADP in dsInfo and ckdatabasews.pcsRequired', async () => {
    sim.setConditions({ webAccessDisabled: true, adp: true });
    const client = await trustedClient();
    const doc = json((await client.validate()).body);
    sim.setConditions({ webAccessDisabled: false, adp: false });
    expect(doc).toMatchObject({ dsInfo: { isWebAccessAllowed: false, iCDPEnabled: true }, webservices: { ckdatabasews: { pcsRequired: true } } });
  });

  it('runs the minimal ADP consent flow to PCS cookies that reach the ckdatabasews host', async () => {
    sim.setConditions({ adp: true });
    const client = await trustedClient();
    const post = async (path: string, body = '{}') => json((await client.setup(path, body)).body);
    const before = await post('/requestWebAccessState');
    const consent = await post('/enableDeviceConsentForPCS');
    const notYet = await post('/requestPCS', JSON.stringify({ appName: 'photos', derivedFromUserAction: true }));
    const granted = await post('/requestPCS', JSON.stringify({ appName: 'photos', derivedFromUserAction: false }));
    sim.setConditions({ adp: false });
    expect(before).toMatchObject({ isDeviceConsentedForPCS: false, isICDRSDisabled: true });
    expect(consent).toMatchObject({ isDeviceConsentNotificationSent: true });
    expect(notYet).toMatchObject({ status: 'failure' });
    expect(granted).toMatchObject({ status: 'success' });
    const cookies = await client.jar.getCookieString(`http://${SIM_HOSTS.ckdatabase}:${sim.port}/`);
    expect(cookies).toMatch(/X-APPLE-WEBAUTH-PCS-Photos=/);
    expect(cookies).toMatch(/X-APPLE-WEBAUTH-PCS-Sharing=/);
  });

  it('asks for two-factor again once trust has expired', async () => {
    const client = await trustedClient();
    expect((await client.signIn(sim.account.appleId, sim.account.password)).statusCode).toBe(200);
    sim.expireTrust();
    expect((await client.signIn(sim.account.appleId, sim.account.password)).statusCode).toBe(409);
  });
});

describe('web session expiry', () => {
  it('expires a web session after the configured number of requests with 421 on setup', async () => {
    sim.setFaults({ expireSessionAfterRequests: 3 });
    const client = await trustedClient();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await client.validate()).statusCode);
    sim.setFaults({ expireSessionAfterRequests: 0 });
    expect(statuses).toEqual([200, 200, 200, 421]);
    // The stored session token still opens a new web session without SRP (spec 3.6 step 2).
    expect((await client.accountLogin()).statusCode).toBe(200);
    expect((await client.validate()).statusCode).toBe(200);
  });

  it('expireWebSessions ends web sessions and the session tokens that open them', async () => {
    const client = await trustedClient();
    const cookie = await client.jar.getCookieString(`http://${SIM_HOSTS.ckdatabase}:${sim.port}/`);
    expect(cookie).toMatch(/X-APPLE-WEBAUTH-TOKEN/);
    sim.expireWebSessions();
    expect((await client.validate()).statusCode).toBe(421);
    expect((await client.accountLogin()).statusCode).toBe(421);
  });

  it('logs out with 200 and then answers 421', async () => {
    const client = await trustedClient();
    expect((await client.setup('/logout', JSON.stringify({ trustBrowser: true, allBrowsers: false }))).statusCode).toBe(200);
    expect((await client.validate()).statusCode).toBe(421);
  });
});

describe('faults and hosts', () => {
  it('answers every request with 500/502 at errorRate 1 and with 503 Retry-After at retryAfterRate 1', async () => {
    const client = new SimTestClient(sim.urls);
    sim.setFaults({ errorRate: 1 });
    const failed = await client.validate();
    sim.setFaults({ errorRate: 0, retryAfterRate: 1, retryAfterSeconds: 7 });
    const busy = await client.validate();
    sim.setFaults({ retryAfterRate: 0 });
    expect([500, 502]).toContain(failed.statusCode);
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('7');
    expect(sim.requestLog().some((e) => e.fault === 'retryAfter')).toBe(true);
  });

  it('refuses unknown host names with 421 and resolves only *.test names', async () => {
    const res = await got(`http://unknown.icloud.test:${sim.port}/`, { dnsLookup: simLookup as never, throwHttpErrors: false, retry: { limit: 0 } });
    expect(res.statusCode).toBe(421);
    await expect(got('http://example.com/', { dnsLookup: simLookup as never, retry: { limit: 0 } })).rejects.toThrow(/ENOTFOUND|simLookup/);
  });

  it('keeps secrets out of the JSONL request log', async () => {
    const ownLog = join(dir, 'own.jsonl');
    const own = await startSimulator({ seed: 12, mfa: 'device', assets: 5, logPath: ownLog });
    const client = new SimTestClient(own.urls);
    expect((await client.signIn(own.account.appleId, own.account.password)).statusCode).toBe(409);
    await client.auth('PUT', '/verify/trusteddevice/securitycode');
    await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: own.code } });
    await client.auth('GET', '/2sv/trust');
    await client.accountLogin();
    await client.validate();
    const cookies = (await client.jar.getCookies(`http://${SIM_HOSTS.ckdatabase}:${own.port}/`)).map((c) => c.value.replace(/"/g, ''));
    await own.close();
    const lines = readFileSync(ownLog, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(7);
    const entries = lines.map((l) => json(l));
    expect(entries.map((e) => Object.keys(e).sort().join())).toEqual(Array(7).fill('method,path,role,status,time'));
    expect(entries.some((e) => e.path === '/appleauth/auth/signin/complete' && e.status === 409)).toBe(true);
    const text = lines.join('\n');
    const secrets = [own.account.password, own.code, client.sessionToken, client.trustToken, client.scnt, client.sessionId, ...cookies];
    expect(cookies.length).toBeGreaterThan(4);
    for (const secret of secrets) {
      expect(secret).toBeTruthy();
      expect(text).not.toContain(String(secret));
    }
    expect(text).not.toMatch(/isRememberMeEnabled|\?/);
  });
});
