import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CookieJar } from 'tough-cookie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src-main/icloud/logger.js';
import { SessionStore, accountKey } from '../../src-main/icloud/session/session-store.js';
import { trustExpiryFromCookies } from '../../src-main/icloud/session/trust-expiry.js';

describe('session store', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'icloud-session-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('names files after the Apple ID as the Python clients do', () => {
    expect(accountKey('Jane.Doe@Example.com')).toBe('janedoeexamplecom');
  });

  it('round-trips the session and the cookies with domain and expiry, leaving no temp files', async () => {
    const folder = join(root, 'sessions');
    const store = new SessionStore(folder, 'jane@example.com', silentLogger);
    const jar = new CookieJar();
    const expires = new Date(Date.now() + 5 * 86_400_000);
    await jar.setCookie(`X-APPLE-WEBAUTH-HSA-TRUST="v=2"; Domain=.icloud.com; Path=/; Expires=${expires.toUTCString()}`, 'https://setup.icloud.com/');
    await store.save({ clientId: 'auth-1', sessionToken: 'tok', trustToken: 'trust', dsid: '42' }, jar);
    expect((await readdir(folder)).sort()).toEqual(['janeexamplecom.cookies.json', 'janeexamplecom.session.json']);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);

    const loaded = await store.load();
    expect(loaded?.data).toEqual({ clientId: 'auth-1', sessionToken: 'tok', trustToken: 'trust', dsid: '42' });
    const cookies = await loaded!.jar.getCookies('https://p42-ckdatabasews.icloud.com/database');
    expect(cookies.map((c) => c.key)).toEqual(['X-APPLE-WEBAUTH-HSA-TRUST']);
    expect(Math.abs((await store.trustExpiresAt())!.getTime() - expires.getTime())).toBeLessThan(1000);
  });

  it('removes unreadable files and starts clean', async () => {
    const store = new SessionStore(root, 'jane@example.com', silentLogger);
    await writeFile(store.sessionPath, '{not json');
    expect(await store.load()).toBeUndefined();
    await expect(stat(store.sessionPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses files written for another Apple ID', async () => {
    const store = new SessionStore(root, 'jane@example.com', silentLogger);
    await store.save({ clientId: 'x', sessionToken: 't' }, new CookieJar());
    const other = new SessionStore(root, 'JANE@example.com', silentLogger);
    expect(other.sessionPath).toBe(store.sessionPath);
    expect(await other.load()).toBeUndefined();
  });
});

describe('trust expiry', () => {
  const cookie = (key: string, expires: string) => ({ key, value: 'x', expires });
  const jar = (cookies: Array<Record<string, string>>) => ({ version: 'x', storeType: 'MemoryCookieStore', rejectPublicSuffixes: true, cookies });

  it('prefers the HSA-TRUST cookie, falls back to X_APPLE_WEB_KB, ignores WEBAUTH-USER', () => {
    const user = cookie('X-APPLE-WEBAUTH-USER', '2030-01-01T00:00:00.000Z');
    const kb = cookie('X_APPLE_WEB_KB-ABC', '2030-03-01T00:00:00.000Z');
    const trust = cookie('X-APPLE-WEBAUTH-HSA-TRUST', '2030-02-01T00:00:00.000Z');
    expect(trustExpiryFromCookies(jar([user, kb, trust]))?.toISOString()).toBe('2030-02-01T00:00:00.000Z');
    expect(trustExpiryFromCookies(jar([user, kb]))?.toISOString()).toBe('2030-03-01T00:00:00.000Z');
    expect(trustExpiryFromCookies(jar([user]))).toBeUndefined();
  });
});
