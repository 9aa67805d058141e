import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/server.js';
import type { ICloudClient } from '../../src-main/icloud/client.js';
import type { ICloudClientOptions } from '../../src-main/icloud/client.js';
import { openClient, signInWithDeviceCode, tempFolder } from './client-auth-helpers.js';

/** The CloudKit transport over a real web session: re-auth, error mapping, retries. */
describe('client-auth: CloudKit transport', () => {
  let sim: Simulator;
  let folder: Awaited<ReturnType<typeof tempFolder>>;

  afterEach(async () => {
    await sim.close();
    await folder.remove();
  });

  async function signedIn(options: Partial<SimulatorOptions> = {}, client: Partial<ICloudClientOptions> = {}): Promise<ICloudClient> {
    sim = await startSimulator({ mfa: 'device', assets: 5, ...options });
    folder = await tempFolder();
    const opened = await openClient(sim, folder.path, { passwordProvider: () => Promise.resolve(sim.account.password), ...client });
    await signInWithDeviceCode(opened, sim);
    return opened;
  }

  const listZones = (client: ICloudClient) => client.transport.post('private', 'zones/list', {}) as Promise<{ zones: unknown[] }>;
  const count = (path: string) => sim.requestLog().filter((e) => e.path.endsWith(path)).length;

  it('sends the CloudKit query parameters and reads the private database', async () => {
    const client = await signedIn();
    expect((await listZones(client)).zones.length).toBeGreaterThan(0);
    expect(count('/private/zones/list')).toBe(1);
  });

  it('refuses any CloudKit call that could change iCloud before sending it', async () => {
    const client = await signedIn();
    const before = sim.requestLog().length;
    const modify = { operations: [{ operationType: 'update', record: { recordName: 'x', recordType: 'CPLAsset', fields: { isDeleted: { value: 1 } } } }] };
    await expect(client.transport.post('private', 'records/modify', modify)).rejects.toThrow(/only reads iCloud/);
    await expect(client.transport.post('private', '/zones/delete', {})).rejects.toThrow(/only reads iCloud/);
    expect(sim.requestLog().length).toBe(before);
    expect(sim.violations()).toEqual([]);
  });

  it('re-authenticates transparently (trust still valid, no code) when the web session ends mid-use', async () => {
    const client = await signedIn();
    await listZones(client);
    const completesBefore = count('/signin/complete');
    sim.expireWebSessions();
    expect((await listZones(client)).zones.length).toBeGreaterThan(0);
    expect(count('/signin/complete')).toBe(completesBefore + 1);
    expect(sim.deliveredCodes()).toHaveLength(1);
    expect(client.state.status).toBe('ready');
  });

  it('keeps listing across repeated session expiries', async () => {
    const client = await signedIn({ faults: { expireSessionAfterRequests: 3 } });
    for (let i = 0; i < 10; i++) expect((await listZones(client)).zones.length).toBeGreaterThan(0);
    expect(sim.deliveredCodes()).toHaveLength(1);
  });

  it('asks for a sign-in when no password source is configured', async () => {
    const client = await signedIn({}, { passwordProvider: undefined });
    sim.expireWebSessions();
    await expect(listZones(client)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('asks for a code when the trust has expired too', async () => {
    const client = await signedIn();
    sim.expireWebSessions();
    sim.expireTrust();
    await expect(listZones(client)).rejects.toMatchObject({ code: 'CODE_REQUIRED' });
    expect(client.state.status).toBe('needs-code');
  });

  it('explains ACCESS_DENIED as web access disabled', async () => {
    const client = await signedIn();
    sim.setConditions({ webAccessDisabled: true });
    await expect(listZones(client)).rejects.toMatchObject({ code: 'WEB_ACCESS_DISABLED' });
  });

  it('retries throttled CloudKit calls a few times, then stops with THROTTLED', async () => {
    const client = await signedIn();
    sim.setFaults({ retryAfterRate: 1, retryAfterSeconds: 0 });
    await expect(listZones(client)).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(count('/private/zones/list')).toBe(4);
  });

  it('retries a read that failed on the network, and reports NETWORK when it keeps failing', async () => {
    let waits = 0;
    const client = await signedIn({}, {
      timeoutMs: 300,
      // The network "comes back" during the first wait.
      sleep: () => {
        waits += 1;
        sim.setFaults({ slowMs: 0 });
        return Promise.resolve();
      },
    });
    sim.setFaults({ slowMs: 2_000 });
    expect((await listZones(client)).zones.length).toBeGreaterThan(0);
    expect(waits).toBe(1);

    const stuck = await openClient(sim, folder.path, { timeoutMs: 300, sleep: () => Promise.resolve() });
    await stuck.connect();
    sim.setFaults({ slowMs: 2_000 });
    await expect(listZones(stuck)).rejects.toMatchObject({ code: 'NETWORK' });
    sim.setFaults({ slowMs: 0 });
  });

  it('retries other server errors a couple of times, then reports them', async () => {
    const client = await signedIn();
    sim.setFaults({ errorRate: 1 });
    await expect(listZones(client)).rejects.toMatchObject({ code: 'APPLE_SERVER_ERROR' });
    expect(count('/private/zones/list')).toBe(3);
  });
});
