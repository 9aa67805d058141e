import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ICloudClient } from '../../src-main/icloud/client.js';
import { tempFolder } from './client-auth-helpers.js';

/**
 * Answers the simulator does not model (security keys, repair, legacy 2SA, wrong region,
 * X-Apple-I-Rscd): a scripted server on 127.0.0.1 answers them as spec 1.6, 3.1 and 6 record.
 */
type Script = Record<string, { status: number; body?: unknown; headers?: Record<string, string> }>;

const INIT = {
  status: 200,
  body: { iteration: 1000, salt: Buffer.alloc(16, 7).toString('base64'), protocol: 's2k', b: Buffer.from([5]).toString('base64'), c: 'c-1' },
  headers: { scnt: 'scnt-1', 'X-Apple-ID-Session-Id': 'sid-1', 'Content-Type': 'text/html;charset=UTF-8' },
};

const accountDocument = (extra: Record<string, unknown> = {}, dsInfo: Record<string, unknown> = {}) => ({
  dsInfo: { dsid: '123', hsaVersion: 2, isWebAccessAllowed: true, ...dsInfo },
  webservices: { ckdatabasews: { url: 'http://127.0.0.1:1', pcsRequired: false } },
  hsaTrustedBrowser: true,
  hsaChallengeRequired: false,
  ...extra,
});

describe('client-auth: answers the simulator does not produce', () => {
  let server: Server | undefined;
  let folder: Awaited<ReturnType<typeof tempFolder>> | undefined;
  const seen: string[] = [];

  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await folder?.remove();
    seen.length = 0;
  });

  async function clientFor(script: Script): Promise<ICloudClient> {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const key = `${req.method} ${(req.url ?? '').split('?')[0]}`;
      seen.push(key);
      const answer = script[key] ?? { status: 404, body: { error: 'not scripted' } };
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    folder = await tempFolder();
    return ICloudClient.open({
      appleId: 'someone@example.com',
      sessionFolder: folder.path,
      endpoints: { auth: `${base}/appleauth/auth`, setup: `${base}/setup/ws/1`, webOrigin: base },
    });
  }

  const complete = 'POST /appleauth/auth/signin/complete';
  const init = 'POST /appleauth/auth/signin/init';
  const login = 'POST /setup/ws/1/accountLogin';

  it('refuses security-key accounts with SECURITY_KEYS_UNSUPPORTED', async () => {
    const client = await clientFor({ [init]: INIT, [complete]: { status: 409, body: { authType: 'hsa2', fsaChallenge: { challenge: 'x' }, keyNames: ['key'] } } });
    await expect(client.signIn('pw')).rejects.toMatchObject({ code: 'SECURITY_KEYS_UNSUPPORTED' });
  });

  it('completes a 412 repair, then signs in', async () => {
    const client = await clientFor({
      [init]: INIT,
      [complete]: { status: 412, body: { authType: 'sa' } },
      'POST /appleauth/auth/repair/complete': { status: 204 },
      [login]: { status: 200, body: accountDocument() },
    });
    expect((await client.signIn('pw')).status).toBe('ready');
    expect(seen).toEqual([init, complete, 'POST /appleauth/auth/repair/complete', login]);
  });

  it('reads X-Apple-I-Rscd 401 on a 200 as a wrong password', async () => {
    const client = await clientFor({ [init]: INIT, [complete]: { status: 200, body: {}, headers: { 'X-Apple-I-Rscd': '401' } } });
    await expect(client.signIn('pw')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(seen).not.toContain(login);
  });

  it('tells a China mainland account to switch region (domainToUse)', async () => {
    const client = await clientFor({ [init]: INIT, [complete]: { status: 200, body: {} }, [login]: { status: 200, body: { domainToUse: 'iCloud.com.cn' } } });
    await expect(client.signIn('pw')).rejects.toMatchObject({ code: 'WRONG_REGION' });
  });

  it('refuses legacy two-step accounts with TWO_STEP_UNSUPPORTED', async () => {
    const legacy = accountDocument({ hsaTrustedBrowser: false, hsaChallengeRequired: true }, { hsaVersion: 1 });
    const client = await clientFor({ [init]: INIT, [complete]: { status: 200, body: {} }, [login]: { status: 200, body: legacy } });
    await expect(client.signIn('pw')).rejects.toMatchObject({ code: 'TWO_STEP_UNSUPPORTED' });
  });

  it('stops with REPAIR_NEEDED when Apple wants new terms accepted', async () => {
    const client = await clientFor({ [init]: INIT, [complete]: { status: 200, body: {} }, [login]: { status: 200, body: accountDocument({ termsUpdateNeeded: true }) } });
    await expect(client.signIn('pw')).rejects.toMatchObject({ code: 'REPAIR_NEEDED' });
  });

  it('reports a changed signin/init answer as PROTOCOL_CHANGED', async () => {
    const client = await clientFor({ [init]: { status: 200, body: { salt: 'x' } } });
    await expect(client.signIn('pw')).rejects.toMatchObject({ code: 'PROTOCOL_CHANGED' });
  });
});
