import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/server.js';
import type { SignInStatus } from '../../src-main/icloud/auth/sign-in-state.js';
import { captureLogger, openClient, signInWithDeviceCode, tempFolder } from './client-auth-helpers.js';

const DAY_MS = 24 * 3600 * 1000;

/** Stored sessions: reuse across processes, trust, expiry, files on disk. */
describe('client-auth: sessions', () => {
  let sim: Simulator;
  let folder: Awaited<ReturnType<typeof tempFolder>>;

  afterEach(async () => {
    await sim.close();
    await folder.remove();
  });

  async function setup(options: Partial<SimulatorOptions> = {}) {
    sim = await startSimulator({ mfa: 'device', assets: 5, ...options });
    folder = await tempFolder();
  }

  const authCalls = () => sim.requestLog().filter((e) => e.role === 'auth').length;
  const password = () => Promise.resolve(sim.account.password);

  it('signs in a trusted account without 2FA straight to ready', async () => {
    await setup({ mfa: 'none' });
    const client = await openClient(sim, folder.path);
    const seen: SignInStatus[] = [];
    client.onStateChange((s) => seen.push(s.status));
    expect((await client.signIn(sim.account.password)).status).toBe('ready');
    expect(seen).toEqual(['signing-in', 'trusted', 'ready']);
    expect(sim.deliveredCodes()).toHaveLength(0);
  });

  it('reuses the stored session in a fresh client without password or code', async () => {
    await setup();
    await signInWithDeviceCode(await openClient(sim, folder.path), sim);
    const authBefore = authCalls();

    const fresh = await openClient(sim, folder.path); // no password provider at all
    expect((await fresh.connect()).status).toBe('ready');
    expect(fresh.webSession?.dsid).toBe(sim.account.dsid);
    expect(authCalls()).toBe(authBefore);
    expect(sim.deliveredCodes()).toHaveLength(1);
  });

  it('asks for the password but no code when the web session expired and trust is valid', async () => {
    await setup();
    await signInWithDeviceCode(await openClient(sim, folder.path), sim);
    sim.expireWebSessions();

    const withoutPassword = await openClient(sim, folder.path);
    expect((await withoutPassword.connect()).status).toBe('signed-out');
    await expect(withoutPassword.ensureReady()).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });

    const withPassword = await openClient(sim, folder.path, { passwordProvider: password });
    const seen: SignInStatus[] = [];
    withPassword.onStateChange((s) => seen.push(s.status));
    expect((await withPassword.connect()).status).toBe('ready');
    expect(seen).not.toContain('needs-code');
    expect(sim.deliveredCodes()).toHaveLength(1);
  });

  it('asks for a code again when the trust has expired at Apple', async () => {
    await setup();
    await signInWithDeviceCode(await openClient(sim, folder.path), sim);
    sim.expireWebSessions();
    sim.expireTrust();
    const { logger, lines } = captureLogger();
    const client = await openClient(sim, folder.path, { passwordProvider: password, logger });
    expect((await client.connect()).status).toBe('needs-code');
    expect(lines.some((l) => l.includes('trust is no longer accepted'))).toBe(true);
    await expect(client.ensureReady()).rejects.toMatchObject({ code: 'CODE_REQUIRED' });
  });

  it('drops an expired trust from the files and logs why', async () => {
    await setup();
    const first = await openClient(sim, folder.path);
    await signInWithDeviceCode(first, sim);
    // Make the stored cookies look as they will once trust and session have run out.
    const cookieFile = JSON.parse(await readFile(first.sessionFiles.cookies, 'utf8')) as { cookies: Array<{ expires?: string }> };
    for (const cookie of cookieFile.cookies) cookie.expires = new Date(Date.now() - 1000).toISOString();
    await writeFile(first.sessionFiles.cookies, JSON.stringify(cookieFile));
    const session = JSON.parse(await readFile(first.sessionFiles.session, 'utf8')) as Record<string, unknown>;
    delete session.session_token;
    await writeFile(first.sessionFiles.session, JSON.stringify(session));

    const { logger, lines } = captureLogger();
    const client = await openClient(sim, folder.path, { logger });
    expect(lines.some((l) => l.includes('stored trust has expired'))).toBe(true);
    expect(lines.some((l) => l.includes('removing the stored session') && l.includes('expired completely'))).toBe(true);
    await expect(stat(first.sessionFiles.session)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await client.connect()).status).toBe('signed-out');
  });

  it('reports when the trust ends, from the trust cookie', async () => {
    await setup({ trustTtlMs: 10 * DAY_MS });
    const client = await openClient(sim, folder.path);
    expect(await client.trustExpiresAt()).toBeUndefined();
    await signInWithDeviceCode(client, sim);
    const ends = (await client.trustExpiresAt())!.getTime();
    expect(ends).toBeGreaterThan(Date.now() + 9 * DAY_MS);
    expect(ends).toBeLessThan(Date.now() + 11 * DAY_MS);
  });

  it('writes the session folder 0700 and the files 0600, without the password', async ({ skip }) => {
    skip(process.platform === 'win32', 'checks POSIX file modes (0600/0700), which Windows does not have');
    await setup();
    const client = await openClient(sim, folder.path);
    await signInWithDeviceCode(client, sim);
    const files = client.sessionFiles;
    expect((await stat(`${folder.path}/sessions`)).mode & 0o777).toBe(0o700);
    expect((await stat(files.session)).mode & 0o777).toBe(0o600);
    expect((await stat(files.cookies)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(files.session, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ dsid: sim.account.dsid, account_country: 'USA' });
    expect(typeof stored.trust_token).toBe('string');
    expect(typeof stored.session_token).toBe('string');
    expect(stored.ckdatabasews_url).toBe(sim.urls.ckdatabase);
    const both = (await readFile(files.session, 'utf8')) + (await readFile(files.cookies, 'utf8'));
    expect(both).not.toContain(sim.account.password);
    const cookies = JSON.parse(await readFile(files.cookies, 'utf8')) as { cookies: Array<{ key: string; domain: string }> };
    expect(cookies.cookies.find((c) => c.key === 'X-APPLE-WEBAUTH-TOKEN')?.domain).toBe('icloud.test');
  });

  it('signs out by deleting the session files', async () => {
    await setup();
    const client = await openClient(sim, folder.path);
    await signInWithDeviceCode(client, sim);
    await client.signOut();
    expect(client.state.status).toBe('signed-out');
    await expect(stat(client.sessionFiles.session)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(client.sessionFiles.cookies)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await (await openClient(sim, folder.path)).connect()).status).toBe('signed-out');
  });
});
