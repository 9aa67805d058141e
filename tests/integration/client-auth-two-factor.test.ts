import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import type { SignInStatus } from '../../src-main/icloud/auth/sign-in-state.js';
import { isICloudError } from '../../src-main/icloud/errors.js';
import { openClient, tempFolder } from './client-auth-helpers.js';

describe('client-auth: two-factor sign-in against the simulator', () => {
  let sim: Simulator;
  let folder: Awaited<ReturnType<typeof tempFolder>>;

  afterEach(async () => {
    await sim.close();
    await folder.remove();
  });

  describe('device codes', () => {
    beforeEach(async () => {
      sim = await startSimulator({ mfa: 'device', assets: 5 });
      folder = await tempFolder();
    });

    it('asks for a code explicitly, verifies it, trusts the client and reaches CloudKit', async () => {
      const client = await openClient(sim, folder.path);
      const seen: SignInStatus[] = [];
      client.onStateChange((state) => seen.push(state.status));

      const afterPassword = await client.signIn(sim.account.password);
      expect(afterPassword.status).toBe('needs-code');
      expect(afterPassword.authOptions?.hasTrustedDevices).toBe(true);
      expect(afterPassword.authOptions?.trustedPhones.map((p) => p.number)).toEqual(['+1 (•••) •••-••42', '+44 ••••• ••••17']);
      expect(sim.deliveredCodes()).toHaveLength(0);

      await client.requestCode({ channel: 'device' });
      expect(sim.deliveredCodes().map((d) => d.channel)).toEqual(['device']);
      const done = await client.submitCode(sim.code);
      expect(done.status).toBe('ready');
      expect(seen).toEqual(['signing-in', 'needs-code', 'needs-code', 'trusted', 'ready']);
      expect(client.webSession?.dsid).toBe(sim.account.dsid);

      const zones = (await client.transport.post('private', 'zones/list', {})) as { zones: unknown[] };
      expect(zones.zones.length).toBeGreaterThan(0);
      const expires = await client.trustExpiresAt();
      expect(expires).toBeInstanceOf(Date);
      expect(expires!.getTime()).toBeGreaterThan(Date.now() + 20 * 24 * 3600 * 1000);
    });

    it('keeps waiting for a code after a wrong one, then accepts the right one', async () => {
      const client = await openClient(sim, folder.path);
      await client.signIn(sim.account.password);
      await client.requestCode({ channel: 'device' });
      const wrong = sim.code === '000000' ? '111111' : '000000';
      const error = await client.submitCode(wrong).catch((e: unknown) => e);
      expect(isICloudError(error, 'WRONG_CODE')).toBe(true);
      // The client reports no count: Apple sends none (the service and the CLI count tries themselves).
      expect(isICloudError(error) && error.attemptsLeft).toBeUndefined();
      expect(client.state.status).toBe('needs-code');
      expect(client.state.error?.code).toBe('WRONG_CODE');
      expect((await client.submitCode(sim.code)).status).toBe('ready');
    });

    it('locks code entry after too many wrong codes and says so', async () => {
      const client = await openClient(sim, folder.path);
      await client.signIn(sim.account.password);
      await client.requestCode({ channel: 'device' });
      const wrong = sim.code === '000000' ? '111111' : '000000';
      const codes: string[] = [];
      for (let i = 0; i < 8 && client.state.status === 'needs-code'; i++) {
        const error = await client.submitCode(wrong).catch((e: unknown) => e);
        if (isICloudError(error)) codes.push(error.code);
      }
      expect(codes.at(-1)).toBe('CODE_LOCKED');
      expect(codes.slice(0, -1).every((code) => code === 'WRONG_CODE')).toBe(true);
      expect(client.state).toMatchObject({ status: 'failed', reason: 'CODE_LOCKED' });
      // Even the right code is refused now: the machine stays failed and does not retry.
      await expect(client.submitCode(sim.code)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    });
  });

  describe('SMS codes', () => {
    beforeEach(async () => {
      sim = await startSimulator({ mfa: 'sms', assets: 5 });
      folder = await tempFolder();
    });

    it('sends the code to the chosen trusted phone and verifies it', async () => {
      const client = await openClient(sim, folder.path);
      const state = await client.signIn(sim.account.password);
      expect(state.authOptions?.hasTrustedDevices).toBe(false);
      const phone = state.authOptions?.trustedPhones[1];
      expect(phone?.id).toBe(2);
      const sent = await client.requestCode({ channel: 'sms', phoneId: phone!.id });
      expect(sim.deliveredCodes()).toEqual([expect.objectContaining({ channel: 'sms', phoneId: 2 })]);
      expect(sent.codeSentTo).toEqual({ channel: 'sms', phoneId: 2 });
      expect(sent.authOptions?.hasTrustedDevices).toBe(false); // the delivery answer does not say; keep what Apple said first
      expect(sent.authOptions?.trustedPhones).toHaveLength(2);
      expect((await client.submitCode(sim.code)).status).toBe('ready');
    });
  });
});
