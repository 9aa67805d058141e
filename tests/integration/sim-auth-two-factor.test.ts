import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import { SimTestClient } from '../sim/test-client.js';

let sim: Simulator;
let smsSim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, mfa: 'device', assets: 5 });
  smsSim = await startSimulator({ seed: 4, mfa: 'sms', assets: 5, authOptionsPhoneLayout: 'nested' });
});
afterAll(async () => {
  await sim.close();
  await smsSim.close();
});

const json = (body: string): Record<string, unknown> => JSON.parse(body) as Record<string, unknown>;
const wrongCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function pendingTwoFactor(s: Simulator): Promise<SimTestClient> {
  const client = new SimTestClient(s.urls);
  expect((await client.signIn(s.account.appleId, s.account.password)).statusCode).toBe(409);
  return client;
}

describe('two-factor over HTTP', () => {
  it('lists trusted phones flat and nested in JSON, and in the boot_args HTML form', async () => {
    const client = await pendingTwoFactor(sim);
    const options = json((await client.auth('GET', '')).body);
    expect(options).toMatchObject({ hasTrustedDevices: true, trustedDeviceCount: 2, securityCode: { length: 6, securityCodeLocked: false } });
    expect(options.trustedPhoneNumbers).toHaveLength(2);
    expect(options).toHaveProperty('phoneNumberVerification.trustedPhoneNumbers');
    const html = await client.auth('GET', '', undefined, { Accept: 'text/html' });
    expect(html.headers['content-type']).toMatch(/text\/html/);
    const bootArgs = /<script type="application\/json" class="boot_args">(.*?)<\/script>/.exec(html.body)?.[1];
    expect(json(bootArgs ?? '{}')).toHaveProperty('direct.twoSV.phoneNumberVerification.trustedPhoneNumbers');
  });

  it('accepts a device code only after the client asked for one', async () => {
    const client = await pendingTwoFactor(sim);
    const before = sim.deliveredCodes().length;
    const early = await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } });
    expect(early.statusCode).toBe(400);
    expect(early.headers['x-apple-i-ercd']).toBe('-21669');
    expect(sim.deliveredCodes()).toHaveLength(before);
    expect((await client.auth('PUT', '/verify/trusteddevice/securitycode')).statusCode).toBe(202);
    expect(sim.deliveredCodes()).toHaveLength(before + 1);
    expect((await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } })).statusCode).toBe(204);
  });

  it('rejects a wrong code with 400 -21669, then accepts the right one', async () => {
    const client = await pendingTwoFactor(sim);
    await client.auth('PUT', '/verify/trusteddevice');
    const wrong = await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: wrongCode(sim.code) } });
    expect(wrong.statusCode).toBe(400);
    // Exactly the recorded answer (protocol notes 2.3): no securityCode, no count of tries left.
    expect(json(wrong.body)).toEqual({
      service_errors: [{ code: '-21669', title: 'Incorrect Verification Code', message: 'Incorrect verification code.', suppressDismissal: false }],
      hasError: true,
    });
    expect((await client.auth('GET', '')).body).not.toContain('remainingAttempts');
    const right = await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } });
    expect(right.statusCode).toBe(204);
    expect(right.headers['x-apple-session-token']).toBeTruthy();
  });

  it('locks code entry after five wrong codes until a fresh sign-in', async () => {
    const client = await pendingTwoFactor(sim);
    await client.auth('PUT', '/verify/trusteddevice/securitycode');
    for (let i = 0; i < 5; i++) {
      const res = await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: wrongCode(sim.code) } });
      expect(res.headers['x-apple-i-ercd']).toBe('-21669');
    }
    const locked = await client.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } });
    expect(locked.statusCode).toBe(400);
    expect(json(locked.body)).toMatchObject({ service_errors: [{ code: 'SIM_SECURITY_CODE_LOCKED' }] });
    expect(json((await client.auth('GET', '')).body)).toMatchObject({ securityCode: { securityCodeLocked: true, tooManyCodesValidated: true } });
    const fresh = await pendingTwoFactor(sim);
    await fresh.auth('PUT', '/verify/trusteddevice/securitycode');
    expect((await fresh.auth('POST', '/verify/trusteddevice/securitycode', { securityCode: { code: sim.code } })).statusCode).toBe(204);
  });

  it('refuses 2FA calls without scnt or session id, or with a stale scnt', async () => {
    const client = await pendingTwoFactor(sim);
    expect((await client.auth('GET', '', undefined, { scnt: undefined })).statusCode).toBe(401);
    const noSession = { 'X-Apple-ID-Session-Id': undefined };
    expect((await client.auth('PUT', '/verify/trusteddevice/securitycode', undefined, noSession)).statusCode).toBe(401);
    const stale = client.scnt;
    expect((await client.auth('GET', '')).statusCode).toBe(200);
    expect((await client.auth('GET', '', undefined, { scnt: stale })).statusCode).toBe(401);
    // The session token is accepted in place of the session id (ips, icloud.js).
    expect((await client.auth('GET', '', undefined, { 'X-Apple-ID-Session-Id': client.sessionToken })).statusCode).toBe(200);
    expect((await client.auth('GET', '', undefined, { 'X-Apple-Widget-Key': 'not-the-key' })).statusCode).toBe(400);
  });

  it('refuses 2sv/trust before the second factor', async () => {
    const client = await pendingTwoFactor(sim);
    expect((await client.auth('GET', '/2sv/trust')).statusCode).toBe(401);
  });
});

describe('two-factor by SMS', () => {
  it('sends a code to the chosen phone and verifies it on the phone endpoint only', async () => {
    const client = await pendingTwoFactor(smsSim);
    const options = json((await client.auth('GET', '')).body);
    expect(options).not.toHaveProperty('trustedPhoneNumbers');
    expect(options).toMatchObject({ hasTrustedDevices: false, phoneNumberVerification: { trustedPhoneNumbers: [{ id: 1 }, { id: 2 }] } });
    expect((await client.auth('PUT', '/verify/trusteddevice/securitycode')).statusCode).toBe(400);
    const send = await client.auth('PUT', '/verify/phone', { phoneNumber: { id: 2 }, mode: 'sms' });
    expect(send.statusCode).toBe(200);
    expect(json(send.body)).toMatchObject({ trustedPhoneNumber: { id: 2 } });
    expect(smsSim.deliveredCodes().at(-1)).toMatchObject({ channel: 'sms', phoneId: 2 });
    const code = { securityCode: { code: smsSim.code }, mode: 'sms' };
    expect((await client.auth('POST', '/verify/phone/securitycode', { ...code, phoneNumber: { id: 1 } })).statusCode).toBe(400);
    expect((await client.auth('POST', '/verify/phone/securitycode', { ...code, phoneNumber: { id: 2 } })).statusCode).toBe(200);
    expect((await client.auth('GET', '/2sv/trust')).statusCode).toBe(204);
    expect(json((await client.accountLogin()).body)).toMatchObject({ hsaTrustedBrowser: true });
  });

  it('refuses an unknown phone id', async () => {
    const client = await pendingTwoFactor(smsSim);
    expect((await client.auth('PUT', '/verify/phone', { phoneNumber: { id: 9 }, mode: 'sms' })).statusCode).toBe(400);
  });
});
