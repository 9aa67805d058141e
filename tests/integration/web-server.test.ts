/**
 * The local page's guard over real HTTP against the real sync service and the simulator: every
 * refusal the issue lists, the token-for-cookie exchange, the headers, the body and code limits,
 * the session timeout, the port range, and no secret in the log.
 */
import { createServer, type Server } from 'node:net';
import { statSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appSnapshotSchema, commandReplySchema } from '../../src-shared/contract.js';
import type { LinkTokenStore } from '../../src-main/notify/link-tokens.js';
import { writeLinkFile } from '../../src-main/web/link-file.js';
import { startWebServer, WebServerError } from '../../src-main/web/web-server.js';
import { captureLogger } from './client-auth-helpers.js';
import { signedInAndSynced } from './service-harness.js';
import { openWebWorld, send, type WebWorld } from './web-harness.js';

let open: WebWorld | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

function json(body: string): Record<string, unknown> {
  return JSON.parse(body) as Record<string, unknown>;
}

describe('local web page guard', () => {
  it('exchanges the start token for an HttpOnly SameSite=Strict cookie and redirects the token out of the address bar', async () => {
    open = await openWebWorld();
    const token = new URL(open.web.link).searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(open.web.url).not.toContain(token);

    const reply = await open.get(`/?token=${token}`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    const cookie = String(reply.headers['set-cookie']?.[0]);
    expect(cookie).toMatch(/^ips_session=[\w-]{20,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');

    const wrong = await open.get('/?token=not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses every request without the session cookie, and serves the UI and the snapshot with it', async () => {
    open = await openWebWorld();
    for (const path of ['/', '/index.html', '/assets/app.js', '/api/snapshot', '/api/events']) {
      const reply = await open.get(path);
      expect(reply.status, path).toBe(401);
      expect(json(reply.body).error).toBe('no-session');
    }
    expect((await open.get('/api/snapshot', { cookie: 'ips_session=made-up' })).status).toBe(401);

    const cookie = await open.signIn();
    const page = await open.get('/', { cookie });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<meta name="icloud-photo-sync-bridge" content="http" />');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    const snapshot = await open.get('/api/snapshot', { cookie });
    expect(snapshot.status).toBe(200);
    expect(appSnapshotSchema.parse(JSON.parse(snapshot.body)).state).toBe(open.world.service.snapshot().state);
  });

  it('refuses a foreign Host (DNS rebinding) even with a valid cookie', async () => {
    open = await openWebWorld();
    const cookie = await open.signIn();
    const port = new URL(open.web.url).port;
    for (const host of [`evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, `127.0.0.1.nip.io:${port}`]) {
      const reply = await open.get('/api/snapshot', { cookie, host });
      expect(reply.status, host).toBe(421);
      expect(json(reply.body).error).toBe('foreign-host');
    }
    expect((await open.get('/api/snapshot', { cookie, host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses a command from another Origin, without an Origin, or without the custom header; accepts the page\'s own', async () => {
    open = await openWebWorld();
    const cookie = await open.signIn();
    const body = JSON.stringify({ type: 'pause', until: null });
    const origin = `http://${open.host}`;
    const refused: Array<Record<string, string>> = [
      { cookie, origin: 'http://evil.example', 'x-icloud-photo-sync': '1' },
      { cookie, 'x-icloud-photo-sync': '1' },
      { cookie, origin },
      { origin, 'x-icloud-photo-sync': '1' },
    ];
    for (const headers of refused) {
      const reply = await open.post('/api/command', body, headers);
      expect([401, 403], JSON.stringify(headers)).toContain(reply.status);
    }
    expect(open.world.service.snapshot().pause).toBeNull();

    const reply = await open.command(cookie, { type: 'pause', until: null });
    expect(reply.status).toBe(200);
    expect(commandReplySchema('pause').parse(JSON.parse(reply.body))).toEqual({ ok: true, result: { until: null } });
    expect(open.world.service.snapshot().pause).toEqual({ until: null });

    // A command the contract does not know is answered by the service's own refusal.
    const unknown = await open.command(cookie, { type: 'format-disk' });
    expect(unknown.status).toBe(200);
    expect(json(unknown.body)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });

  it('refuses an oversized body, broken JSON and unknown routes', async () => {
    open = await openWebWorld({ maxBodyBytes: 1024 });
    const cookie = await open.signIn();
    const big = JSON.stringify({ type: 'save-settings', values: { appleId: 'x'.repeat(4096) } });
    const tooLarge = await open.command(cookie, JSON.parse(big));
    expect(tooLarge.status).toBe(413);
    expect(open.world.service.snapshot().appleId).toBeNull();

    const headers = { cookie, origin: `http://${open.host}`, 'x-icloud-photo-sync': '1' };
    expect((await open.post('/api/command', '{not json', headers)).status).toBe(400);
    for (const path of ['/api/nothing', '/admin', '/../../etc/passwd', '/assets/']) expect((await open.get(path, { cookie })).status, path).toBe(404);
    expect((await open.post('/api/snapshot', '{}', headers)).status).toBe(404);
  });

  it('answers a malformed %-escape in the path with 404, not a server error', async () => {
    open = await openWebWorld();
    const cookie = await open.signIn();
    for (const path of ['/%E0%A4%A', '/assets/%zz', '/%']) {
      const reply = await open.get(path, { cookie });
      expect(reply.status, path).toBe(404);
      expect(JSON.parse(reply.body), path).toMatchObject({ error: 'not-found' });
    }
    expect((await open.get('/', { cookie })).status).toBe(200);
    expect(open.lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    expect(open.lines.filter((line) => line.includes('"reason":"not-found"'))).toHaveLength(3);
  });

  it('limits code submissions per minute and per sign-in, and logs the sign-in without codes, tokens or passwords', async () => {
    let now = Date.parse('2026-12-04T12:00:00Z');
    open = await openWebWorld({ codeLimits: { perMinute: 3, perSignIn: 4 }, now: () => now });
    const { world } = open;
    const cookie = await open.signIn();
    await world.ok({ type: 'save-settings', values: { appleId: world.sim.account.appleId, syncFolder: world.folder } });
    const signIn = await open.command(cookie, { type: 'sign-in', appleId: world.sim.account.appleId, password: world.sim.account.password });
    expect(json(signIn.body)).toEqual({ ok: true, result: { status: 'needs-code' } });

    const wrongCodes = ['000001', '000002', '000003'];
    for (const code of wrongCodes) {
      const reply = await open.command(cookie, { type: 'submit-code', code });
      expect(reply.status).toBe(200);
      expect(json(reply.body)).toMatchObject({ ok: false, error: { code: 'WRONG_CODE' } });
    }
    const limited = await open.command(cookie, { type: 'submit-code', code: world.sim.code });
    expect(limited.status).toBe(429);
    expect(json(limited.body).error).toBe('code-rate-limited');

    now += 61_000;
    expect(json((await open.command(cookie, { type: 'submit-code', code: '000004' })).body)).toMatchObject({ ok: false });
    const capped = await open.command(cookie, { type: 'submit-code', code: world.sim.code });
    expect(capped.status).toBe(429);
    expect(json(capped.body).error).toBe('code-attempts-exhausted');
    expect(world.service.snapshot().signIn.status).toBe('needs-code');

    const log = open.lines.join('\n');
    // The sign-in steps themselves are audited by the client (tests/integration/sign-in-audit.test.ts).
    expect(log).toContain('"reason":"code-rate-limited"');
    for (const secret of [...wrongCodes, world.sim.code, world.sim.account.password, new URL(open.web.link).searchParams.get('token') ?? '?', cookie.split('=')[1] ?? '?']) {
      expect(log).not.toContain(secret);
    }
  });

  it('ends a session after it has been idle for the timeout', async () => {
    let now = Date.parse('2026-12-04T12:00:00Z');
    open = await openWebWorld({ sessionIdleMs: 60_000, now: () => now });
    const cookie = await open.signIn();
    now += 50_000;
    expect((await open.get('/api/snapshot', { cookie })).status).toBe(200);
    now += 50_000;
    expect((await open.get('/api/snapshot', { cookie })).status).toBe(200);
    now += 61_000;
    const expired = await open.get('/api/snapshot', { cookie });
    expect(expired.status).toBe(401);
    expect(json(expired.body).error).toBe('session-expired');
    expect(open.lines.join('\n')).toContain('"reason":"session-expired"');
  });

  it('serves a recent arrival\'s thumbnail from the data folder\'s cache only with the session, and no file of the sync folder', async () => {
    open = await openWebWorld();
    await signedInAndSynced(open.world);
    const snapshot = await open.world.until((s) => s.recentArrivals.length > 0 && s.recentArrivals.every((a) => a.thumbnail !== 'pending'));
    const arrival = snapshot.recentArrivals.find((a) => a.thumbnail === 'ready');
    if (!arrival) throw new Error('no thumbnail was fetched');
    const path = `/api/thumbnail?asset=${encodeURIComponent(arrival.assetId)}`;

    const refused = await open.get(path);
    expect(refused.status).toBe(401);
    expect(json(refused.body).error).toBe('no-session');

    const cookie = await open.signIn();
    const reply = await open.get(path, { cookie });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/jpeg');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    const expected = await open.world.bridge.getThumbnail(arrival.assetId);
    expect(expected.available && Buffer.from(expected.bytes).equals(reply.bytes)).toBe(true);
    expect(reply.bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');

    for (const unknown of ['/api/thumbnail?asset=not-an-arrival', '/api/thumbnail', '/api/thumbnail?asset=']) {
      const missing = await open.get(unknown, { cookie });
      expect(missing.status, unknown).toBe(404);
      expect(missing.headers['x-content-type-options']).toBe('nosniff');
      expect(json(missing.body).error).toBe('not-found');
    }
    // The old route that served arrived files out of the sync folder is gone.
    expect((await open.get(`/api/file?path=${encodeURIComponent(arrival.relPath)}`, { cookie })).status).toBe(404);
  }, 90_000);

  it('streams the snapshot and then every event as Server-Sent Events', async () => {
    open = await openWebWorld();
    const cookie = await open.signIn();
    const { request } = await import('node:http');
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(`${open!.web.url}api/events`, { headers: { cookie, host: open!.host } }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          received.push(chunk);
          const text = received.join('');
          if (text.includes('"type":"snapshot"') && text.includes('"pause":{"until":null}')) {
            req.destroy();
            resolve();
          }
        });
        void open!.world.ok({ type: 'pause', until: null });
      });
      req.on('error', reject);
      req.end();
    });
    const first = received.join('').split('\n\n')[0] ?? '';
    expect(first.startsWith('data: ')).toBe(true);
    expect(JSON.parse(first.slice(6))).toMatchObject({ type: 'snapshot' });
  });

  it('takes the next port of the range when one is taken, and says plainly when none is free', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const { logger } = captureLogger();
    const bridge = { getSnapshot: async () => ({}) as never, onSnapshot: () => () => {}, onEvent: () => () => {}, send: async () => ({}) as never, getThumbnail: async () => ({}) as never };
    try {
      const next = await startWebServer({ bridge, uiDir: tmpdir(), ports: { first: taken, last: taken + 1 }, logger });
      expect(new URL(next.url).port).toBe(String(taken + 1));
      await next.close();
      await expect(startWebServer({ bridge, uiDir: tmpdir(), ports: { first: taken, last: taken }, logger })).rejects.toThrow(WebServerError);
      await expect(startWebServer({ bridge, uiDir: tmpdir(), ports: { first: taken, last: taken }, logger })).rejects.toThrow(`The local web page could not start: port ${taken} on 127.0.0.1 is in use. Change the port range in Settings, or close the program using it.`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('warns when it listens beyond loopback and still requires the token', async () => {
    const { logger, lines } = captureLogger();
    const bridge = { getSnapshot: async () => ({}) as never, onSnapshot: () => () => {}, onEvent: () => () => {}, send: async () => ({}) as never, getThumbnail: async () => ({}) as never };
    const web = await startWebServer({ bridge, uiDir: tmpdir(), address: '0.0.0.0', ports: { first: 0, last: 0 }, logger });
    try {
      expect(lines.join('\n')).toContain('"event":"web-non-loopback"');
      const port = new URL(web.url).port;
      const reply = await send(`http://127.0.0.1:${port}/`, 'GET', { host: `0.0.0.0:${port}` });
      expect(reply.status).toBe(401);
    } finally {
      await web.close();
    }
  });

  it("opens a session once with a notification's link, refuses it used, expired or foreign, and answers on the public URL's host", async () => {
    let links: LinkTokenStore | null = null;
    open = await openWebWorld({ notificationLinks: (token) => links?.verifyAndConsume(token) ?? null, publicUrl: 'https://photos.example.net:8443/' });
    links = open.world.service.notifier.links;
    const token = links.issue({ episodeId: 'code-needed:2026-12-04T18:00:00.000Z', kind: 'code-needed' }, 3600_000);

    const first = await open.get(`/link/${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/?from=code-needed');
    const cookie = String(first.headers['set-cookie']?.[0]);
    expect(cookie).toMatch(/^ips_session=[\w-]{20,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const session = cookie.split(';')[0] ?? '';
    expect((await open.get('/?from=code-needed', { cookie: session })).status).toBe(200);

    const again = await open.get(`/link/${token}`);
    expect(again.status).toBe(410);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(json(again.body)).toMatchObject({ error: 'link-used' });
    expect(String(json(again.body).message)).toMatch(/already used or has expired.*web-link\.txt/);
    for (const foreign of ['not-a-token-we-issued', 'x'.repeat(300), new URL(open.web.link).searchParams.get('token') ?? '?']) {
      expect((await open.get(`/link/${foreign}`)).status, foreign.slice(0, 10)).toBe(410);
    }

    // Behind a reverse proxy: the public URL's host (with its port) is allowed, and so is its origin.
    const viaProxy = { cookie: session, host: 'photos.example.net:8443' };
    expect((await open.get('/api/snapshot', viaProxy)).status).toBe(200);
    expect((await open.get('/api/snapshot', { ...viaProxy, host: 'photos.example.net' })).status).toBe(421);
    const command = await open.post('/api/command', JSON.stringify({ type: 'pause', until: null }), { ...viaProxy, origin: 'https://photos.example.net:8443', 'x-icloud-photo-sync': '1' });
    expect(command.status).toBe(200);

    expect(open.lines.join('\n')).not.toContain(token);
    expect(open.lines.join('\n')).toContain('/link/…');
  });

  it('writes the link to a file only the user can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'web-link-'));
    try {
      const path = writeLinkFile(dir, 'http://127.0.0.1:1/?token=abc');
      expect(readFileSync(path, 'utf8')).toBe('http://127.0.0.1:1/?token=abc\n');
      if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
