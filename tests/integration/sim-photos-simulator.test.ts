import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimLibrary } from '../sim/library/index.js';
import { simLookup } from '../sim/lookup.js';
import { startSimulator, type Simulator } from '../sim/server.js';
import { SimTestClient } from '../sim/test-client.js';
import { listingQuery, type Json } from './sim-photos-harness.js';

let sim: Simulator;
let client: SimTestClient;
let ckBase = '';
let dsid = '';

beforeAll(async () => {
  sim = await startSimulator({ seed: 21, mfa: 'none', assets: 120, sharedAssets: 4 });
  client = new SimTestClient(sim.urls);
  expect((await client.signIn(sim.account.appleId, sim.account.password)).statusCode).toBe(200);
  const login = await client.accountLogin();
  expect(login.statusCode).toBe(200);
  const document = JSON.parse(login.body) as Json;
  ckBase = document.webservices.ckdatabasews.url;
  dsid = document.dsInfo.dsid;
});
afterAll(() => sim.close());

function ck(path: string, body: unknown, http = client.http) {
  const params = `clientBuildNumber=2534Project66&clientMasteringNumber=2534B22&clientId=sim-photos-test&dsid=${dsid}&remapEnums=true&getCurrentSyncToken=true`;
  return http.post(`${ckBase}/database/1/com.apple.photos.cloud/production/private/${path}?${params}`, {
    headers: { 'Content-Type': 'text/plain', Origin: sim.urls.webOrigin },
    body: JSON.stringify(body),
  });
}

describe('photos through the whole simulator', () => {
  it('lists with the web session cookies, downloads without any, and logs no violation', async () => {
    const library = sim.library as SimLibrary;
    const zones = await ck('zones/list', {});
    expect(zones.statusCode).toBe(200);
    expect((JSON.parse(zones.body) as Json).zones.map((z: Json) => z.zoneID.zoneName)).toEqual(library.zoneNames());
    const page = JSON.parse((await ck('records/query', listingQuery(0, 20))).body) as Json;
    const master = page.records.find((r: Json) => r.recordType === 'CPLMaster');
    const url: string = master.fields.resOriginalRes.value.downloadURL;
    expect(url.startsWith(`${sim.urls.content}/B/`)).toBe(true);
    const cookieless = got.extend({ dnsLookup: simLookup as never, throwHttpErrors: false, retry: { limit: 0 } });
    const body = await cookieless(url).buffer();
    expect(body.equals(library.contentOf(master.recordName)?.read() ?? Buffer.alloc(0))).toBe(true);
    expect(sim.requestLog().some((entry) => entry.role === 'content' && entry.status === 200)).toBe(true);
    expect(sim.violations()).toEqual([]);
  });

  it('refuses CloudKit without the session cookies, and records a mutating call as a violation', async () => {
    const anonymous = got.extend({ dnsLookup: simLookup as never, throwHttpErrors: false, retry: { limit: 0 } });
    expect((await ck('zones/list', {}, anonymous)).statusCode).toBe(421);
    const modify = await ck('records/modify', { operations: [{ operationType: 'update', record: { recordName: 'x' } }], atomic: true });
    expect(modify.statusCode).toBe(403);
    expect(sim.violations()).toHaveLength(1);
    expect(sim.violations()[0]?.path).toContain('records/modify');
    sim.acknowledgeViolations();
  });
});
