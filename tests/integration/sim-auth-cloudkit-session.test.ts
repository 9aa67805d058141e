import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import { SimTestClient } from '../sim/test-client.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 21, mfa: 'none', assets: 3, sessionMaxRequests: 3 });
});
afterAll(async () => {
  await sim.close();
});

async function signedIn(): Promise<SimTestClient> {
  const client = new SimTestClient(sim.urls);
  expect((await client.signIn(sim.account.appleId, sim.account.password)).statusCode).toBe(200);
  expect((await client.accountLogin()).statusCode).toBe(200);
  return client;
}

const zonesList = (client: SimTestClient, path = 'zones/list') =>
  client.cloudKit(sim.account.dsid, path, { params: { getCurrentSyncToken: 'true' } });

describe('the web session as the CloudKit host sees it', () => {
  it('serves CloudKit with the setup cookies, then answers 401 once the session has served its requests', async () => {
    const client = await signedIn();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await zonesList(client)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 401]);
    expect((await client.validate()).statusCode).toBe(421);
  });

  it('answers 421 to a CloudKit call without any web cookies', async () => {
    expect((await zonesList(new SimTestClient(sim.urls))).statusCode).toBe(421);
  });

  it('records a mutating CloudKit call as a violation and logs it without secrets', async () => {
    const client = await signedIn();
    const before = sim.violations().length;
    expect((await zonesList(client, 'records/modify')).statusCode).toBe(403);
    const violations = sim.violations();
    expect(violations).toHaveLength(before + 1);
    expect(violations.at(-1)).toMatchObject({ role: 'ckdatabase', method: 'POST', path: '/database/1/com.apple.photos.cloud/production/private/records/modify' });
    expect(sim.requestLog().at(-1)).toMatchObject({ role: 'ckdatabase', status: 403 });
    sim.acknowledgeViolations();
  });
});
