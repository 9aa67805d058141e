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

function zonesList(client: SimTestClient, path = 'zones/list') {
  const params = new URLSearchParams({ clientBuildNumber: '2534Project66', clientMasteringNumber: '2534B22', clientId: 'sim-test', dsid: sim.account.dsid, remapEnums: 'true', getCurrentSyncToken: 'true' });
  return client.http.post(`http://p42-ckdatabasews.icloud.test:${sim.port}/database/1/com.apple.photos.cloud/production/private/${path}?${params}`, {
    headers: { 'Content-Type': 'text/plain', Origin: sim.urls.webOrigin },
    body: '{}',
  });
}

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
