import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import { SimTestClient } from '../sim/test-client.js';
import { DEFAULT_CONDITIONS } from '../sim/options.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 12, mfa: 'device', assets: 3 });
});
afterEach(() => sim.setConditions(DEFAULT_CONDITIONS));
afterAll(async () => {
  await sim.close();
});

const json = (body: string): Record<string, unknown> => JSON.parse(body) as Record<string, unknown>;
const signIn = (client: SimTestClient) => client.signIn(sim.account.appleId, sim.account.password);

async function enterCode(client: SimTestClient): Promise<number> {
  await client.auth('PUT', '/verify/trusteddevice/securitycode');
  return (await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } })).statusCode;
}

describe('repair (412)', () => {
  it('412 {"authType":"sa"} at signin/complete; accountLogin opens no session until repair/complete; then 2FA as usual', async () => {
    sim.setConditions({ repair: 'signin' });
    const client = new SimTestClient(sim.urls);
    const complete = await signIn(client);
    expect(complete.statusCode).toBe(412);
    expect(json(complete.body)).toEqual({ authType: 'sa' });
    expect(complete.headers['x-apple-session-token']).toBeTruthy();

    const early = await client.accountLogin();
    expect(json(early.body)).toMatchObject({ isRepairNeeded: true });
    expect(String(early.headers['set-cookie'])).not.toMatch(/X-APPLE-WEBAUTH-TOKEN/);

    const repaired = await client.auth('POST', '/repair/complete', {});
    expect(repaired.statusCode).toBe(204);
    const login = await client.accountLogin();
    expect(json(login.body)).toMatchObject({ isRepairNeeded: false, hsaChallengeRequired: true });
    expect(await enterCode(client)).toBe(204);
    expect((await client.auth('GET', '/2sv/trust')).statusCode).toBe(204);
    expect(json((await client.accountLogin()).body)).toMatchObject({ hsaTrustedBrowser: true });
    // Repaired for good: the next sign-in is a plain 200 with the trust token.
    expect((await signIn(client)).statusCode).toBe(200);
  });

  it('412 after a correct code carries securityCode.valid; repair/complete then trust works', async () => {
    sim.setConditions({ repair: 'verify' });
    const client = new SimTestClient(sim.urls);
    expect((await signIn(client)).statusCode).toBe(409);
    await client.auth('PUT', '/verify/trusteddevice/securitycode');
    const verify = await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } });
    expect(verify.statusCode).toBe(412);
    expect(json(verify.body)).toMatchObject({ securityCode: { valid: true } });
    expect((await client.auth('POST', '/repair/complete', {})).statusCode).toBe(204);
    expect((await client.auth('GET', '/2sv/trust')).statusCode).toBe(204);
    expect(json((await client.accountLogin()).body)).toMatchObject({ hsaTrustedBrowser: true, isRepairNeeded: false });
  });

  it("'fails': repair/complete is refused and the condition stays", async () => {
    sim.setConditions({ repair: 'fails' });
    const client = new SimTestClient(sim.urls);
    expect((await signIn(client)).statusCode).toBe(412);
    const repaired = await client.auth('POST', '/repair/complete', {});
    expect(repaired.statusCode).toBe(400);
    expect((await signIn(new SimTestClient(sim.urls))).statusCode).toBe(412);
  });

  it('repair/complete without a pending repair is refused', async () => {
    const client = new SimTestClient(sim.urls);
    expect((await signIn(client)).statusCode).toBe(409);
    expect((await client.auth('POST', '/repair/complete', {})).statusCode).toBe(400);
  });
});

describe('other account conditions', () => {
  it('security keys: the 409 carries fsaChallenge and keyNames, and no code can be sent or verified', async () => {
    sim.setConditions({ securityKeys: true });
    const deliveredBefore = sim.deliveredCodes().length;
    const client = new SimTestClient(sim.urls);
    const complete = await signIn(client);
    expect(complete.statusCode).toBe(409);
    expect(json(complete.body)).toMatchObject({ authType: 'hsa2', fsaChallenge: { rpId: 'apple.com' }, keyNames: [expect.any(String)] });
    expect((await client.auth('PUT', '/verify/trusteddevice/securitycode')).statusCode).toBe(400);
    expect((await client.auth('PUT', '/verify/phone', { phoneNumber: { id: 1 }, mode: 'sms' })).statusCode).toBe(400);
    expect(sim.deliveredCodes()).toHaveLength(deliveredBefore);
  });

  it('legacy 2SA: accountLogin says hsaVersion 1 with the challenge owed and opens no session', async () => {
    sim.setConditions({ legacyTwoStep: true });
    const client = new SimTestClient(sim.urls);
    expect((await signIn(client)).statusCode).toBe(200);
    const login = await client.accountLogin();
    expect(json(login.body)).toMatchObject({ dsInfo: { hsaVersion: 1 }, hsaChallengeRequired: true, hsaTrustedBrowser: false });
    expect(String(login.headers['set-cookie'])).not.toMatch(/X-APPLE-WEBAUTH-TOKEN/);
  });

  it('429 with Retry-After on idmsa calls while rate limited', async () => {
    sim.setConditions({ rateLimited: { retryAfterSeconds: 42 } });
    const res = await signIn(new SimTestClient(sim.urls));
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('42');
  });

  it('statusInRscd: every status from 400 up (409 included) comes as HTTP 200 + X-Apple-I-Rscd; 2xx untouched', async () => {
    sim.setConditions({ statusInRscd: true });
    const wrong = await new SimTestClient(sim.urls).signIn(sim.account.appleId, 'not the password');
    expect(wrong.statusCode).toBe(200);
    expect(wrong.headers['x-apple-i-rscd']).toBe('401');
    expect(json(wrong.body)).toMatchObject({ serviceErrors: [{ code: '-20101' }] });
    const client = new SimTestClient(sim.urls);
    const right = await signIn(client);
    expect(right.statusCode).toBe(200);
    expect(right.headers['x-apple-i-rscd']).toBe('409');
    const delivery = await client.auth('PUT', '/verify/trusteddevice/securitycode');
    expect(delivery.statusCode).toBe(202);
    expect(delivery.headers['x-apple-i-rscd']).toBeUndefined();
  });

  it('chinaAccount: accountLogin answers only {"domainToUse":"iCloud.com.cn"}', async () => {
    sim.setConditions({ chinaAccount: true });
    const client = new SimTestClient(sim.urls);
    await signIn(client);
    const login = await client.accountLogin();
    expect(login.statusCode).toBe(200);
    expect(json(login.body)).toEqual({ domainToUse: 'iCloud.com.cn' });
  });

  it('termsUpdateNeeded: reported in accountLogin, and no web session opens', async () => {
    sim.setConditions({ termsUpdateNeeded: true });
    const client = new SimTestClient(sim.urls);
    await signIn(client);
    expect(await enterCode(client)).toBe(204);
    await client.auth('GET', '/2sv/trust');
    const login = await client.accountLogin();
    expect(json(login.body)).toMatchObject({ termsUpdateNeeded: true, hsaTrustedBrowser: true });
    expect(String(login.headers['set-cookie'])).not.toMatch(/X-APPLE-WEBAUTH-TOKEN/);
  });
});

describe('Origin on setup and CloudKit', () => {
  it('refuses setup and CloudKit calls without the web origin', async () => {
    const client = new SimTestClient(sim.urls);
    const setup = await client.http.post(`${sim.urls.setup}/validate`, { body: 'null', headers: { 'Content-Type': 'application/json' } });
    expect(setup.statusCode).toBe(403);
    const ck = await client.http.post(`${sim.urls.ckdatabase}/database/1/com.apple.photos.cloud/production/private/zones/list`, {
      body: '{}',
      headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' },
    });
    expect(ck.statusCode).toBe(403);
    expect(json(ck.body)).toMatchObject({ error: 'SIM_MISSING_ORIGIN' });
  });
});
