/**
 * The Electron stand-in on its own (tests/electron-standin), before any shell uses it: a window is
 * a real Chromium page that loads app:// through the handler given to protocol.handle (its CSP
 * enforced by Chromium), runs the real preload bundle, and talks to ipcMain with its frame's URL;
 * navigation and pop-ups ask the listeners first; the tray menu, app quit sequence and
 * single-instance lock behave as Electron documents.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../src-shared/ipc-channels.js';
import { StandinDesktop } from '../electron-standin/app.js';
import { createElectronStandin, type ElectronStandin } from '../electron-standin/index.js';
import type { StandinIpcEvent } from '../electron-standin/ipc-main.js';
import { StandinMenu } from '../electron-standin/tray-menu.js';
import { launchChromium } from '../support/browser.js';
import { buildPreload } from '../support/built-preload.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
const PAGE = `<!doctype html><html><head><title>Stand-in page</title><script src="page.js"></script></head>
<body><h1>App page</h1><script>window.inlineRan = true;</script></body></html>`;
// The page's own script: it subscribes through the bridge, as the React UI does.
const PAGE_JS = `window.received = []; window.icloudPhotoSync?.onEvent((event) => window.received.push(event));`;

let browser: Browser;
let preload: string;
let desktop: ElectronStandin;
let foreign: Server;
let foreignUrl: string;
const senders: StandinIpcEvent[] = [];

beforeAll(async () => {
  [browser, preload] = await Promise.all([launchChromium(), buildPreload()]);
  foreign = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Somewhere else</h1>'));
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as { port: number }).port}/`;
  desktop = await createElectronStandin({ browser });
  await desktop.electron.app.whenReady();
  const { protocol, ipcMain } = desktop.electron;
  protocol.handle('app', (request) => {
    const path = new URL(request.url).pathname;
    if (path === '/index.html') return new Response(PAGE, { headers: { 'content-type': 'text/html', 'content-security-policy': CSP } });
    if (path === '/page.js') return new Response(PAGE_JS, { headers: { 'content-type': 'text/javascript' } });
    return new Response('not found', { status: 404 });
  });
  ipcMain.handle(IPC_CHANNELS.getSnapshot, (event) => {
    senders.push(event);
    if (!event.senderFrame?.url.startsWith('app://ui/')) throw new Error('IPC refused: unknown sender');
    return { at: new Date(0), nested: { list: [1, 2] } };
  });
}, 120_000);

afterAll(async () => {
  await desktop?.close();
  await browser?.close();
  foreign?.close();
  if (preload) rmSync(dirname(preload), { recursive: true, force: true });
});

async function openWindow() {
  const window = new desktop.electron.BrowserWindow({ width: 480, height: 320, webPreferences: { preload } });
  window.webContents.on('will-navigate', (event: { preventDefault(): void }) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  await window.loadURL('app://ui/index.html');
  return { window, page: await window.loadedPage() };
}

describe('Electron stand-in', () => {
  it('is not ready at first and refuses, with Electron\'s own errors, what Electron refuses before ready', async () => {
    const fresh = await createElectronStandin({ browser });
    const { app, protocol, session, screen, safeStorage } = fresh.electron;
    const emitted: string[] = [];
    app.on('ready', () => emitted.push('ready'));
    expect(app.isReady()).toBe(false);
    expect(() => session.defaultSession).toThrow(new TypeError('Session can only be received when app is ready'));
    expect(() => protocol.handle('app', () => new Response(''))).toThrow('Session can only be received when app is ready');
    expect(() => new fresh.electron.BrowserWindow({ webPreferences: { preload } })).toThrow('Cannot create BrowserWindow before app is ready');
    expect(() => new fresh.electron.Tray('/icons/idle.png')).toThrow('Cannot create Tray before app is ready');
    expect(() => new fresh.electron.Notification({ title: 't', body: 'b' })).toThrow('Cannot create Notification before app is ready');
    expect(() => screen.getAllDisplays()).toThrow("The 'screen' module can't be used before the app 'ready' event");
    expect(safeStorage.getSelectedStorageBackend()).toBe('unknown');
    protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true } }]);
    expect(app.requestSingleInstanceLock()).toBe(true);

    await app.whenReady();
    expect(emitted).toEqual(['ready']);
    expect(app.isReady()).toBe(true);
    expect(() => protocol.registerSchemesAsPrivileged([{ scheme: 'other' }])).toThrow('protocol.registerSchemesAsPrivileged should be called before app is ready');
    expect(session.defaultSession).toBeDefined();
    expect(screen.getAllDisplays()).toHaveLength(1);
    expect(safeStorage.getSelectedStorageBackend()).toBe('gnome_libsecret');
    await fresh.close();
  });

  it('serves app:// through the protocol handler with its CSP enforced, and runs the preload first', async () => {
    const { window, page } = await openWindow();
    expect(window.webContents.getURL()).toBe('app://ui/index.html');
    await expect(page.locator('h1').textContent()).resolves.toBe('App page');
    // The CSP header from the handler reached Chromium: the inline script was refused.
    await expect(page.evaluate(() => {
      const w = window as unknown as { inlineRan?: boolean; received?: unknown[] };
      return { inline: w.inlineRan, pageScript: Array.isArray(w.received) };
    })).resolves.toEqual({ inline: undefined, pageScript: true });
    expect(desktop.electron.protocol.served.map((s) => s.url)).toEqual(expect.arrayContaining(['app://ui/index.html', 'app://ui/page.js']));
    window.destroy();
  });

  it('exposes exactly the bridge, frozen, and no ipcRenderer, require or IPC binding', async () => {
    const { window, page } = await openWindow();
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const bridge = w.icloudPhotoSync as Record<string, unknown>;
      return {
        keys: Object.keys(bridge).sort(),
        frozen: Object.isFrozen(bridge),
        replaced: (() => { try { w.icloudPhotoSync = {}; } catch { /* strict-mode pages throw */ } return w.icloudPhotoSync === bridge; })(),
        require: typeof w.require, ipcRenderer: typeof w.ipcRenderer, module: typeof w.module, process: typeof w.process,
        binding: typeof w.__electronStandinIpc,
      };
    });
    expect(seen).toEqual({ keys: ['desktop', 'getSnapshot', 'getThumbnail', 'onEvent', 'onSnapshot', 'send'], frozen: true, replaced: true, require: 'undefined', ipcRenderer: 'undefined', module: 'undefined', process: 'undefined', binding: 'undefined' });
    window.destroy();
  });

  it('invokes reach ipcMain with the app frame URL; values are copied both ways; main-to-renderer sends arrive', async () => {
    const { window, page } = await openWindow();
    const reply = await page.evaluate(async () => {
      const value = await (window as unknown as { icloudPhotoSync: { getSnapshot(): Promise<{ at: Date }> } }).icloudPhotoSync.getSnapshot();
      return { isDate: value.at instanceof Date, value };
    });
    expect(reply.isDate).toBe(true);
    expect(reply.value).toEqual({ at: new Date(0), nested: { list: [1, 2] } });
    expect(senders.at(-1)?.senderFrame).toEqual({ url: 'app://ui/index.html', origin: 'app://ui', isMainFrame: true });
    expect(senders.at(-1)?.sender).toBe(window.webContents);

    window.webContents.send(IPC_CHANNELS.event, { type: 'one' });
    window.webContents.send(IPC_CHANNELS.event, { type: 'two' });
    await expect.poll(() => page.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([{ type: 'one' }, { type: 'two' }]);
    window.destroy();
  });

  it('a page that got away (a foreign URL in the window) still has the preload, and the handler sees its real URL', async () => {
    const { window, page } = await openWindow();
    // As if the navigation guard had failed: a foreign page in the app's window.
    await window.loadURL(foreignUrl);
    const refused = await page.evaluate(() =>
      (window as unknown as { icloudPhotoSync: { getSnapshot(): Promise<unknown> } }).icloudPhotoSync.getSnapshot().then(() => 'answered', (error: Error) => error.message));
    expect(refused).toBe("Error invoking remote method 'app:get-snapshot': Error: IPC refused: unknown sender");
    expect(desktop.electron.ipcMain.refused.at(-1)).toEqual({ channel: IPC_CHANNELS.getSnapshot, frameUrl: foreignUrl, message: 'IPC refused: unknown sender' });
    window.destroy();
  });

  it('the page cannot navigate away when will-navigate is prevented, and pop-ups ask the window-open handler', async () => {
    const { window, page } = await openWindow();
    await page.evaluate((url) => { location.href = url; }, foreignUrl);
    await expect.poll(() => window.webContents.blockedNavigations).toEqual([foreignUrl]);
    await expect(page.locator('h1').textContent()).resolves.toBe('App page');
    expect(window.webContents.getURL()).toBe('app://ui/index.html');

    await page.evaluate((url) => { (globalThis as unknown as { open(url: string): void }).open(url); }, `${foreignUrl}popup`);
    await expect.poll(() => desktop.popups).toEqual([{ url: `${foreignUrl}popup`, action: 'deny' }]);
    await expect.poll(async () => (await Promise.all(page.context().pages().map((p) => p.opener()))).filter(Boolean).length).toBe(0);
    window.destroy();
  });

  it('records the tray, its menu and clicks; quit runs before-quit, closes windows and releases the lock', async () => {
    const { electron } = desktop;
    const clicked: string[] = [];
    const tray = new electron.Tray('/icons/idle.png');
    tray.setToolTip('Up to date');
    tray.setContextMenu(StandinMenu.buildFromTemplate([
      { label: 'Sync now', click: () => clicked.push('sync') },
      { label: 'Pause', submenu: [{ label: '30 minutes', click: () => clicked.push('pause 30') }] },
      { type: 'separator' },
      { label: 'Quit', click: () => electron.app.quit() },
    ]));
    expect(desktop.tray().menu?.outline()).toEqual(['Sync now', 'Pause', '  30 minutes', '---', 'Quit']);
    desktop.tray().menu?.click('Pause', '30 minutes');
    expect(clicked).toEqual(['pause 30']);
    expect(() => desktop.tray().menu?.click('Pause', '2 hours')).toThrow(/no menu item Pause ▸ 2 hours/);

    const second = await createElectronStandin({ browser, desktop: new StandinDesktop() });
    const shared = new StandinDesktop();
    const first = await createElectronStandin({ browser, desktop: shared });
    const again = await createElectronStandin({ browser, desktop: shared });
    await first.electron.app.whenReady();
    const secondLaunches: unknown[] = [];
    first.electron.app.on('second-instance', () => secondLaunches.push('focus'));
    expect(first.electron.app.requestSingleInstanceLock()).toBe(true);
    expect(again.electron.app.requestSingleInstanceLock()).toBe(false);
    expect(secondLaunches).toEqual(['focus']);

    const order: string[] = [];
    const window = new first.electron.BrowserWindow({ webPreferences: { preload } });
    window.on('close', () => order.push('window close'));
    first.electron.app.on('before-quit', () => order.push('before-quit'));
    first.electron.app.on('will-quit', () => order.push('will-quit'));
    first.electron.app.quit();
    expect(order).toEqual(['before-quit', 'window close', 'will-quit']);
    expect(first.electron.app.quitted).toBe(true);
    expect(again.electron.app.requestSingleInstanceLock()).toBe(true);
    await Promise.all([first.close(), again.close(), second.close()]);
  });
});
