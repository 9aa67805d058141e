import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/server.js';
import { ICloudError } from '../../src-main/icloud/errors.js';
import type { SimAccountOptions } from '../sim/options.js';
import { openClient, signInWithDeviceCode, tempFolder } from './client-auth-helpers.js';

interface DivergentCase {
  name: string;
  password: string;
  protocol: 's2k' | 's2k_fo';
  iterations: number;
  saltHex: string;
}
const { divergentCases } = JSON.parse(readFileSync(new URL('../../../shared/vectors/apple-srp.json', import.meta.url), 'utf8')) as {
  divergentCases: DivergentCase[];
};

/** Typed sign-in errors, each produced by the simulator over real HTTP. */
describe('client-auth: sign-in errors', () => {
  let sim: Simulator | undefined;
  let folder: Awaited<ReturnType<typeof tempFolder>> | undefined;

  afterEach(async () => {
    await sim?.close();
    await folder?.remove();
    sim = undefined;
  });

  async function setup(options: Partial<SimulatorOptions> = {}) {
    sim = await startSimulator({ mfa: 'device', assets: 5, ...options });
    folder = await tempFolder();
    return { sim, client: await openClient(sim, folder.path) };
  }

  async function failure(promise: Promise<unknown>): Promise<ICloudError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ICloudError);
    return error as ICloudError;
  }

  const authCalls = (s: Simulator, path: string) => s.requestLog().filter((e) => e.role === 'auth' && e.path.endsWith(path));

  it('reports a wrong password as WRONG_PASSWORD and ends failed', async () => {
    const { client } = await setup();
    const error = await failure(client.signIn('not-the-password'));
    expect(error.code).toBe('WRONG_PASSWORD');
    expect(error.userMessage).toMatch(/Apple ID or password/);
    expect(client.state).toMatchObject({ status: 'failed', reason: 'WRONG_PASSWORD' });
  });

  it('refuses an app-specific password before sending anything', async () => {
    const { sim, client } = await setup();
    const error = await failure(client.signIn('abcd-efgh-ijkl-mnop'));
    expect(error.code).toBe('APP_SPECIFIC_PASSWORD');
    expect(sim.requestLog()).toHaveLength(0);
  });

  it('reports a locked account as ACCOUNT_LOCKED (-20209)', async () => {
    const { sim, client } = await setup({ conditions: { locked: true } });
    const error = await failure(client.signIn(sim.account.password));
    expect(error.code).toBe('ACCOUNT_LOCKED');
    expect(error.userMessage).toMatch(/iforgot/);
  });

  it('retries a throttled sign-in once, then stops with THROTTLED and when to try again', async () => {
    const { sim, client } = await setup({ conditions: { throttled: { retryAfterSeconds: 1 } } });
    const error = await failure(client.signIn(sim.account.password));
    expect(error.code).toBe('THROTTLED');
    expect(error.retryAfter).toBeInstanceOf(Date);
    expect(error.userMessage).toMatch(/Try again after/);
    expect(authCalls(sim, '/signin/init')).toHaveLength(2);
    expect(authCalls(sim, '/signin/complete')).toHaveLength(0);
  });

  it('does not retry at all when Retry-After asks for a long wait', async () => {
    const { sim, client } = await setup({ conditions: { throttled: { retryAfterSeconds: 3600 } } });
    const before = Date.now();
    const error = await failure(client.signIn(sim.account.password));
    expect(error.code).toBe('THROTTLED');
    expect(error.retryAfter!.getTime()).toBeGreaterThanOrEqual(before + 3600_000);
    expect(authCalls(sim, '/signin/init')).toHaveLength(1);
  });

  it('stops at once on a 503 without Retry-After (knocking again extends the block), suggesting an hour', async () => {
    const { sim, client } = await setup({ conditions: { throttled: {} } });
    const before = Date.now();
    const error = await failure(client.signIn(sim.account.password));
    expect(error.code).toBe('THROTTLED');
    expect(error.retryAfter!.getTime()).toBeGreaterThanOrEqual(before + 3600_000);
    expect(error.userMessage).toMatch(/Try again after/);
    expect(authCalls(sim, '/signin/init')).toHaveLength(1);
  });

  it('explains that web access is disabled', async () => {
    const { sim, client } = await setup({ mfa: 'none', conditions: { webAccessDisabled: true } });
    const error = await failure(client.signIn(sim.account.password));
    expect(error.code).toBe('WEB_ACCESS_DISABLED');
    expect(error.userMessage).toMatch(/Access iCloud Data on the Web/);
  });

  it('asks for approval on a device with Advanced Data Protection when none comes in time', async () => {
    sim = await startSimulator({ mfa: 'none', assets: 5, conditions: { adp: true } });
    folder = await tempFolder();
    // An unattended run does not wait for a device: the approval must come at once or it stops.
    const client = await openClient(sim, folder.path, { pcs: { approvalTimeoutMs: 0 } });
    const error = await failure(client.signIn(sim.account.password));
    expect(error.code).toBe('ADP_APPROVAL_NEEDED');
    expect(client.state.reason).toBe('ADP_APPROVAL_NEEDED');
  });

  it('completes the ADP consent flow when the device approves', async () => {
    sim = await startSimulator({ mfa: 'none', assets: 5, conditions: { adp: true } });
    folder = await tempFolder();
    const client = await openClient(sim, folder.path, { pcs: { approvalTimeoutMs: 5_000, pollMs: 5 } });
    expect((await client.signIn(sim.account.password)).status).toBe('ready');
    expect(client.webSession?.adp).toBe(true);
    const cookies = await client.http.cookieJar.getCookies(sim.urls.ckdatabase);
    expect(cookies.map((c) => c.key)).toContain('X-APPLE-WEBAUTH-PCS-Photos');
  });

  it('reports NETWORK when iCloud cannot be reached', async () => {
    const { sim: stopped, client } = await setup();
    await stopped.close();
    sim = undefined;
    const error = await failure(client.signIn(stopped.account.password));
    expect(error.code).toBe('NETWORK');
    expect(error.cause?.code).toBe('ECONNREFUSED');
    expect(client.state.reason).toBe('NETWORK');
  });

  /**
   * SRP when the salt or H(":"|p) starts with a zero byte (spec 1.4; vectors' divergentCases):
   * Apple's byte convention is unknown, so after a wrong-password answer the client tries the other
   * one once. The simulator plays an Apple that uses either convention.
   */
  describe('SRP leading zero bytes', () => {
    const signInAs = (account: Omit<SimAccountOptions, 'appleId'>) => setup({ account: { appleId: 'edge.case@example.test', ...account } });
    const completeStatuses = (s: Simulator) => authCalls(s, '/signin/complete').map((e) => e.status);

    for (const vector of divergentCases) {
      const account = { password: vector.password, saltHex: vector.saltHex, iterations: vector.iterations, protocol: vector.protocol };

      it(`${vector.name}: signs in where Apple drops the leading zero, with one extra attempt`, async () => {
        const { sim, client } = await signInAs({ ...account, srpConvention: 'integer' });
        await signInWithDeviceCode(client, sim);
        expect(client.state.status).toBe('ready');
        expect(completeStatuses(sim)).toEqual([401, 409]);
      });

      it(`${vector.name}: remembers the convention that worked, so the next sign-in needs one attempt`, async () => {
        const { sim, client } = await signInAs({ ...account, srpConvention: 'integer' });
        await signInWithDeviceCode(client, sim);
        sim.expireWebSessions();
        const again = await openClient(sim, folder?.path ?? '');
        expect((await again.signIn(vector.password)).status).toBe('ready');
        expect(completeStatuses(sim)).toEqual([401, 409, 200]);
      });

      it(`${vector.name}: signs in at the first attempt where Apple keeps raw bytes`, async () => {
        const { sim, client } = await signInAs({ ...account, srpConvention: 'raw' });
        await signInWithDeviceCode(client, sim);
        expect(completeStatuses(sim)).toEqual([409]);
      });

      it(`${vector.name}: a wrong password is reported after two attempts at most`, async () => {
        const { sim, client } = await signInAs({ ...account, srpConvention: 'integer' });
        expect((await failure(client.signIn(`${vector.password}-typo`))).code).toBe('WRONG_PASSWORD');
        // The typo changes H(":"|p): a second attempt only if the salt, or that new hash, starts with zero.
        expect(completeStatuses(sim)).toEqual(vector.name === 'salt-leading-zero' ? [401, 401] : [401]);
      });
    }

    it('an ordinary salt: a wrong password costs one attempt, never a retry', async () => {
      const { sim, client } = await signInAs({ password: 'Correct-Horse-9-Battery', saltHex: '75f4f1c8a42df8034d476c7487eb502a', iterations: 1000, protocol: 's2k', srpConvention: 'integer' });
      expect((await failure(client.signIn('Correct-Horse-9-Batteryx'))).code).toBe('WRONG_PASSWORD');
      expect(completeStatuses(sim)).toEqual([401]);
    });
  });
});
