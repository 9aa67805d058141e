import { mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CookieJar } from 'tough-cookie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src-main/icloud/logger.js';
import { accountFileStem } from '../../src-main/config/account-key.js';
import { SessionStore } from '../../src-main/icloud/session/session-store.js';
import { trustExpiryFromCookies } from '../../src-main/icloud/session/trust-expiry.js';

describe('session store', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'icloud-session-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('names files with the one account stem: case folded, punctuation significant', async () => {
    const stem = accountFileStem('Jane.Doe@Example.com');
    expect(new SessionStore(root, 'Jane.Doe@Example.com', silentLogger).sessionPath).toBe(join(root, `${stem}.session.json`));
    expect(new SessionStore(root, 'jane.doe@example.com', silentLogger).cookiePath).toBe(join(root, `${stem}.cookies.json`));
    expect(new SessionStore(root, 'janedoe@example.com', silentLogger).sessionPath).not.toBe(join(root, `${stem}.session.json`));
  });

  it('two accounts differing only in punctuation keep their own sessions', async () => {
    const dotted = new SessionStore(root, 'jane.doe@example.com', silentLogger);
    const plain = new SessionStore(root, 'janedoe@example.com', silentLogger);
    await dotted.save({ clientId: 'dotted', sessionToken: 'a' }, new CookieJar());
    await plain.save({ clientId: 'plain', sessionToken: 'b' }, new CookieJar());
    expect((await dotted.load())?.data.clientId).toBe('dotted');
    expect((await plain.load())?.data.clientId).toBe('plain');
  });

  it("moves an earlier build's session files (punctuation stripped) to the new names", async () => {
    const store = new SessionStore(root, 'Jane.Doe@Example.com', silentLogger);
    await store.save({ clientId: 'old', sessionToken: 'tok' }, new CookieJar());
    await rename(store.sessionPath, join(root, 'janedoeexamplecom.session.json'));
    await rename(store.cookiePath, join(root, 'janedoeexamplecom.cookies.json'));
    const typedLower = new SessionStore(root, 'jane.doe@example.com', silentLogger);
    expect((await typedLower.load())?.data).toEqual({ clientId: 'old', sessionToken: 'tok' });
    expect((await readdir(root)).sort()).toEqual([`${accountFileStem('jane.doe@example.com')}.cookies.json`, `${accountFileStem('jane.doe@example.com')}.session.json`]);
  });

  it("leaves an earlier build's shared file to the account that wrote it", async () => {
    const owner = new SessionStore(root, 'janedoe@example.com', silentLogger);
    await owner.save({ clientId: 'owner', sessionToken: 'tok' }, new CookieJar());
    await rename(owner.sessionPath, join(root, 'janedoeexamplecom.session.json'));
    await rename(owner.cookiePath, join(root, 'janedoeexamplecom.cookies.json'));
    expect(await new SessionStore(root, 'jane.doe@example.com', silentLogger).load()).toBeUndefined();
    expect((await owner.load())?.data.clientId).toBe('owner');
  });

  it('round-trips the session and the cookies with domain and expiry, leaving no temp files', async () => {
    const folder = join(root, 'sessions');
    const store = new SessionStore(folder, 'jane@example.com', silentLogger);
    const jar = new CookieJar();
    const expires = new Date(Date.now() + 5 * 86_400_000);
    await jar.setCookie(`X-APPLE-WEBAUTH-HSA-TRUST="v=2"; Domain=.icloud.com; Path=/; Expires=${expires.toUTCString()}`, 'https://setup.icloud.com/');
    await store.save({ clientId: 'auth-1', sessionToken: 'tok', trustToken: 'trust', dsid: '42' }, jar);
    const stem = accountFileStem('jane@example.com');
    expect((await readdir(folder)).sort()).toEqual([`${stem}.cookies.json`, `${stem}.session.json`]);
    if (process.platform !== 'win32') expect((await stat(folder)).mode & 0o777).toBe(0o700);

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

  it('finds its session whatever the case the Apple ID is typed in', async () => {
    const store = new SessionStore(root, 'jane@example.com', silentLogger);
    await store.save({ clientId: 'x', sessionToken: 't' }, new CookieJar());
    const other = new SessionStore(root, 'JANE@example.com', silentLogger);
    expect(other.sessionPath).toBe(store.sessionPath);
    expect((await other.load())?.data.clientId).toBe('x');
  });

  it('refuses files written for another Apple ID', async () => {
    const store = new SessionStore(root, 'jane@example.com', silentLogger);
    await store.save({ clientId: 'x', sessionToken: 't' }, new CookieJar());
    await rename(store.sessionPath, new SessionStore(root, 'john@example.com', silentLogger).sessionPath);
    const other = new SessionStore(root, 'john@example.com', silentLogger);
    expect(await other.load()).toBeUndefined();
    await expect(stat(other.sessionPath)).rejects.toMatchObject({ code: 'ENOENT' });
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
