import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/server.js';
import { ICloudError } from '../../src-main/icloud/errors.js';
import { openClient, tempFolder } from './client-auth-helpers.js';

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
});
