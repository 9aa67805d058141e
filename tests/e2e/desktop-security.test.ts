/**
 * Electron's security checklist as far as a real Chromium page can show it, with the real shell:
 * the window cannot navigate away, window.open is refused (allowed https links go to the browser),
 * IPC from a page that is not the app's is refused, the page sees exactly the AppBridge (no
 * ipcRenderer, no require, no Node), every permission request is refused, and the app:// answers
 * carry the strict CSP that Chromium then enforces. Not shown here (README): the isolated world,
 * the OS sandbox and the fuses, which only a real Electron has.
 */
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandinBrowserWindow } from '../electron-standin/browser-window.js';
import { openDesktopWorld, type DesktopWorld } from './desktop-world.js';

let world: DesktopWorld;
let window: StandinBrowserWindow;
let page: Page;
let foreign: Server;
let foreignUrl: string;
const foreignRequests: string[] = [];

beforeAll(async () => {
  world = await openDesktopWorld();
  foreign = createServer((req, res) => {
    foreignRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Not the app</h1>');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as { port: number }).port}/`;
  ({ window, page } = await world.desktop.window((url) => url.startsWith('app://ui/')));
  await page.getByRole('heading', { name: 'Sign in to iCloud' }).waitFor({ timeout: 60_000 });
}, 180_000);

afterAll(async () => {
  await world?.close();
  foreign?.close();
});

describe('the tray app window, attacked from its own page', () => {
  it('the page sees exactly the AppBridge, frozen: no ipcRenderer, require, process or Node', async () => {
    const seen = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      const bridge = w.icloudPhotoSync as Record<string, unknown>;
      return {
        keys: Object.keys(bridge).sort(),
        frozen: Object.isFrozen(bridge),
        kinds: Object.values(bridge).map((value) => typeof value),
        globals: ['require', 'ipcRenderer', 'process', 'module', 'Buffer', 'electron', '__electronStandinIpc'].filter((name) => name in w),
      };
    });
    expect(seen.keys).toEqual(['desktop', 'getSnapshot', 'getThumbnail', 'onEvent', 'onSnapshot', 'send']);
    expect(seen.frozen).toBe(true);
    expect(seen.globals).toEqual([]);
  });

  it('the served page carries the strict CSP, and Chromium refuses an inline script', async () => {
    const served = world.desktop.electron.protocol.served;
    expect(served.some((s) => s.url === 'app://ui/index.html' && s.status === 200)).toBe(true);
    const inline = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'globalThis.inlineRan = true';
      document.body.append(script);
      return (globalThis as unknown as { inlineRan?: boolean }).inlineRan ?? false;
    });
    expect(inline).toBe(false);
    const outside = await page.evaluate((url) => fetch(url).then(() => 'fetched', () => 'refused'), foreignUrl);
    expect(outside).toBe('refused');
    expect(foreignRequests).toEqual([]);
  });

  it('cannot navigate away; an allowlisted https link goes to the browser, others nowhere', async () => {
    await page.evaluate((url) => { location.href = url; }, foreignUrl);
    // One at a time: a second navigation started at once can cancel the first before it is requested.
    await expect.poll(() => window.webContents.blockedNavigations).toEqual([foreignUrl]);
    await page.evaluate(() => { location.href = 'https://appleid.apple.com/'; });
    await expect.poll(() => window.webContents.blockedNavigations).toEqual([foreignUrl, 'https://appleid.apple.com/']);
    expect(window.webContents.getURL()).toMatch(/^app:\/\/ui\/index\.html/);
    await page.getByRole('heading', { name: 'Sign in to iCloud' }).waitFor();
    expect(foreignRequests).toEqual([]);
    expect(world.desktop.electron.shell.openedExternal).toEqual(['https://appleid.apple.com/']);
  });

  it('window.open is refused: no new window, an allowlisted https link goes to the browser', async () => {
    await page.evaluate((url) => { (globalThis as unknown as { open(u: string): void }).open(url); }, `${foreignUrl}popup`);
    await page.evaluate(() => { (globalThis as unknown as { open(u: string): void }).open('https://support.apple.com/'); });
    await expect.poll(() => world.desktop.popups).toEqual([
      { url: `${foreignUrl}popup`, action: 'deny' },
      { url: 'https://support.apple.com/', action: 'deny' },
    ]);
    await expect.poll(async () => (await Promise.all(page.context().pages().map((p) => p.opener()))).filter(Boolean).length).toBe(0);
    expect(foreignRequests).toEqual([]);
    expect(world.desktop.electron.shell.openedExternal).toContain('https://support.apple.com/');
    expect(world.desktop.electron.shell.openedExternal).not.toContain(`${foreignUrl}popup`);
  });

  it('every permission request is refused', async () => {
    const session = world.desktop.electron.session.defaultSession;
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      await expect(session.ask(permission)).resolves.toBe(false);
    }
    expect(session.permissionCheckHandler?.({}, 'notifications')).toBe(false);
  });

  it('IPC from a page that is not the app is refused, even with the preload in it', async () => {
    // As if a navigation had slipped through: a foreign page in the app's window, preload and all.
    await window.loadURL(foreignUrl);
    const answer = await page.evaluate(() =>
      (globalThis as unknown as { icloudPhotoSync: { getSnapshot(): Promise<unknown> } }).icloudPhotoSync.getSnapshot().then(() => 'answered', (error: Error) => error.message));
    expect(answer).toMatch(/^Error invoking remote method 'app:get-snapshot': /);
    const command = await page.evaluate(() =>
      (globalThis as unknown as { icloudPhotoSync: { send(c: unknown): Promise<unknown> } }).icloudPhotoSync.send({ type: 'sync-now' }).then(() => 'answered', () => 'refused'));
    expect(command).toBe('refused');
    expect(world.desktop.electron.ipcMain.refused.map((r) => r.frameUrl)).toEqual([foreignUrl, foreignUrl]);
  });
});
