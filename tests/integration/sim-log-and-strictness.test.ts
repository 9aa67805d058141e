import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import { SimTestClient } from '../sim/test-client.js';

let sim: Simulator;
const dir = mkdtempSync(join(tmpdir(), 'sim-log-'));
const logPath = join(dir, 'requests.jsonl');
beforeAll(async () => {
  sim = await startSimulator({ seed: 31, mfa: 'none', assets: 3, logPath });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signedIn(): Promise<SimTestClient> {
  const client = new SimTestClient(sim.urls);
  expect((await client.signIn(sim.account.appleId, sim.account.password)).statusCode).toBe(200);
  expect((await client.accountLogin()).statusCode).toBe(200);
  return client;
}

const cloudKit = (client: SimTestClient, path: string, headers: Record<string, string> = {}) =>
  client.cloudKit(sim.account.dsid, path, { headers });

describe('request log and strictness', () => {
  it('writes a mutating call to the JSONL file as a violation line, without query string or secrets', async () => {
    // An own simulator: its log file is complete once close() has flushed the stream.
    const own = await startSimulator({ seed: 32, mfa: 'none', assets: 3, logPath: join(dir, 'own.jsonl') });
    const ownClient = new SimTestClient(own.urls);
    await ownClient.signIn(own.account.appleId, own.account.password);
    await ownClient.accountLogin();
    const params = `clientBuildNumber=1&clientMasteringNumber=1&clientId=x&dsid=${own.account.dsid}&remapEnums=true`;
    await ownClient.http.post(`${own.urls.ckdatabase}/database/1/com.apple.photos.cloud/production/private/records/modify?${params}`, {
      headers: { 'Content-Type': 'text/plain', Origin: own.urls.webOrigin },
      body: JSON.stringify({ operations: [{ operationType: 'update' }] }),
    });
    own.acknowledgeViolations();
    const cookies = (await ownClient.jar.getCookies(own.urls.ckdatabase)).map((c) => c.value.replace(/"/g, ''));
    await own.close();
    const lines = readFileSync(join(dir, 'own.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const violation = lines.find((l) => l.violation === true);
    expect(violation).toMatchObject({ role: 'ckdatabase', method: 'POST', path: '/database/1/com.apple.photos.cloud/production/private/records/modify' });
    expect(lines.find((l) => l.path === violation?.path && l.status === 403)).toBeDefined();
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(cookies.length).toBeGreaterThan(3);
    for (const secret of [own.account.password, ownClient.sessionToken, ...cookies]) expect(text).not.toContain(String(secret));
    expect(text).not.toContain('operationType');
    expect(text).not.toContain('?');
  });

  it('refuses signin/init and signin/complete without the widget key', async () => {
    const client = new SimTestClient(sim.urls);
    const init = await client.auth('POST', '/signin/init', { a: 'AA==', accountName: 'x', protocols: ['s2k'] }, { 'X-Apple-Widget-Key': undefined });
    expect(init.statusCode).toBe(400);
    const complete = await client.auth('POST', '/signin/complete', { accountName: 'x', m1: 'a', m2: 'b', c: 'c' }, { 'X-Apple-Widget-Key': undefined });
    expect(complete.statusCode).toBe(400);
  });

  it('refuses a CloudKit body labelled neither text/plain nor application/json', async () => {
    const client = await signedIn();
    expect((await cloudKit(client, 'zones/list', { 'Content-Type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415);
    expect((await cloudKit(client, 'zones/list', { 'Content-Type': 'application/json' })).statusCode).toBe(200);
  });

  it('slowMs holds every answer back: a client with a short timeout gives up, and answers come again once it is off', async () => {
    const client = new SimTestClient(sim.urls);
    sim.setFaults({ slowMs: 2000 });
    const slow = client.http.post(`${sim.urls.setup}/validate`, { body: 'null', headers: { Origin: sim.urls.webOrigin }, timeout: { request: 100 } });
    await expect(slow).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    sim.setFaults({ slowMs: 0 });
    expect((await client.validate()).statusCode).toBe(421);
  });
});
