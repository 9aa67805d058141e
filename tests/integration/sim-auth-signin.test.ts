import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import { SimTestClient } from '../sim/test-client.js';
import { SIM_HOSTS } from '../sim/types.js';
import { TestSrpClient } from '../sim/test-srp-client.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 7, mfa: 'device', assets: 5 });
});
afterAll(async () => {
  await sim.close();
});

const json = (body: string): Record<string, unknown> => JSON.parse(body) as Record<string, unknown>;

/** The whole happy path of spec 7.3, returning the client with a trusted web session. */
async function signInWithDevice(): Promise<SimTestClient> {
  const client = new SimTestClient(sim.urls);
  expect((await client.signIn(sim.account.appleId, sim.account.password)).statusCode).toBe(409);
  expect((await client.auth('PUT', '/verify/trusteddevice/securitycode')).statusCode).toBe(202);
  const verify = await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } });
  expect(verify.statusCode).toBe(204);
  const trust = await client.auth('GET', '/2sv/trust');
  expect(trust.statusCode).toBe(204);
  expect(trust.headers['x-apple-twosv-trust-token']).toBeTruthy();
  return client;
}

describe('sign-in over HTTP', () => {
  it('answers signin/init with the SRP parameters, a c, scnt and a host-only aasp cookie', async () => {
    const client = new SimTestClient(sim.urls);
    const srp = new TestSrpClient();
    const init = await client.auth('POST', '/signin/init', { a: srp.aBase64, accountName: sim.account.appleId, protocols: ['s2k', 's2k_fo'] });
    expect(init.statusCode).toBe(200);
    const body = json(init.body);
    expect(body).toMatchObject({ iteration: 20064, protocol: 's2k' });
    expect(Buffer.from(String(body.salt), 'base64')).toHaveLength(16);
    expect(String(body.c)).toMatch(/^d-0a1-.+:PRN$/);
    expect(init.headers.scnt).toBeTruthy();
    const port = sim.port;
    expect(await client.jar.getCookieString(`http://${SIM_HOSTS.auth}:${port}/appleauth/auth`)).toMatch(/aasp=/);
    expect(await client.jar.getCookieString(`http://${SIM_HOSTS.setup}:${port}/`)).not.toMatch(/aasp=/);
  });

  it('refuses a wrong password with 401 -20101', async () => {
    const client = new SimTestClient(sim.urls);
    const res = await client.signIn(sim.account.appleId, `${sim.account.password}!`);
    expect(res.statusCode).toBe(401);
    expect(json(res.body)).toMatchObject({ serviceErrors: [{ code: '-20101' }] });
  });

  it('refuses an unknown account the same way, after an ordinary-looking init', async () => {
    const res = await new SimTestClient(sim.urls).signIn('nobody@example.test', sim.account.password);
    expect(res.statusCode).toBe(401);
  });

  it('signs in an s2k_fo account with a non-ASCII password', async () => {
    const other = await startSimulator({
      seed: 8,
      mfa: 'none',
      assets: 1,
      account: { appleId: 'Mixed.Case@Example.test', password: 'pässwörd-日本', protocol: 's2k_fo', iterations: 1000 },
    });
    try {
      const client = new SimTestClient(other.urls);
      expect((await client.signIn('Mixed.Case@Example.test', 'pässwörd-日本')).statusCode).toBe(200);
      expect(json((await client.accountLogin()).body)).toMatchObject({ hsaTrustedBrowser: true });
      expect((await new SimTestClient(other.urls).signIn('Mixed.Case@Example.test', 'passwörd-日本')).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses a reused or unknown c', async () => {
    const client = new SimTestClient(sim.urls);
    const srp = new TestSrpClient();
    const init = await client.auth('POST', '/signin/init', { a: srp.aBase64, accountName: sim.account.appleId, protocols: ['s2k'] });
    const answer = json(init.body) as { salt: string; b: string; iteration: number; protocol: 's2k'; c: string };
    const proofs = srp.proofs(sim.account.appleId, sim.account.password, answer);
    const complete = (c: string) =>
      client.auth('POST', '/signin/complete?isRememberMeEnabled=true', { accountName: sim.account.appleId, rememberMe: true, ...proofs, c, trustTokens: [] });
    expect((await complete(`${answer.c}x`)).statusCode).toBe(401);
    // The unknown c did not consume the real one; the real one works once.
    expect((await complete(answer.c)).statusCode).toBe(409);
    expect((await complete(answer.c)).statusCode).toBe(401);
  });

  it('runs the device-code flow to a trusted web session whose cookies reach the ckdatabasews host', async () => {
    const client = await signInWithDevice();
    const login = await client.accountLogin();
    expect(login.statusCode).toBe(200);
    const doc = json(login.body) as { hsaTrustedBrowser: boolean; hsaChallengeRequired: boolean; dsInfo: { dsid: string }; webservices: { ckdatabasews: { url: string } } };
    expect(doc).toMatchObject({ hsaTrustedBrowser: true, hsaChallengeRequired: false });
    expect(doc.dsInfo.dsid).toBe(sim.account.dsid);
    expect(doc.webservices.ckdatabasews.url).toBe(`http://${SIM_HOSTS.ckdatabase}:${sim.port}`);
    const ckCookies = await client.jar.getCookies(`${doc.webservices.ckdatabasews.url}/database/1/com.apple.photos.cloud/production/private`);
    const names = ckCookies.map((c) => c.key);
    expect(names).toEqual(expect.arrayContaining(['X-APPLE-WEBAUTH-USER', 'X-APPLE-WEBAUTH-TOKEN', 'X-APPLE-WEBAUTH-HSA-TRUST']));
    expect(ckCookies.every((c) => c.domain === 'icloud.test' && !c.hostOnly)).toBe(true);
    const trustCookie = ckCookies.find((c) => c.key === 'X-APPLE-WEBAUTH-HSA-TRUST');
    const trustEnds = trustCookie?.expires instanceof Date ? trustCookie.expires.getTime() : 0;
    expect(trustEnds - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    expect(ckCookies.some((c) => c.key.startsWith('X_APPLE_WEB_KB-'))).toBe(true);
    expect((await client.validate()).statusCode).toBe(200);
    expect(sim.deliveredCodes().some((d) => d.channel === 'device')).toBe(true);
  });

  it('skips two-factor on the next sign-in while the trust token is valid', async () => {
    const client = await signInWithDevice();
    const again = await client.signIn(sim.account.appleId, sim.account.password);
    expect(again.statusCode).toBe(200);
    const login = await client.accountLogin();
    expect(json(login.body)).toMatchObject({ hsaTrustedBrowser: true });
  });

  it('before two-factor, accountLogin answers hsaChallengeRequired and sets no web token', async () => {
    const client = new SimTestClient(sim.urls);
    expect((await client.signIn(sim.account.appleId, sim.account.password)).statusCode).toBe(409);
    const login = await client.accountLogin();
    expect(json(login.body)).toMatchObject({ hsaTrustedBrowser: false, hsaChallengeRequired: true });
    const cookies = await client.jar.getCookieString(`http://${SIM_HOSTS.ckdatabase}:${sim.port}/`);
    expect(cookies).toMatch(/X-APPLE-WEBAUTH-HSA-LOGIN/);
    expect(cookies).not.toMatch(/X-APPLE-WEBAUTH-TOKEN/);
    expect((await client.validate()).statusCode).toBe(421);
  });
});
