/**
 * The stand-in for the `electron` module: everything the shell uses (src-main/shell/electron-apis.ts),
 * with windows as real Chromium pages and the OS parts recorded or answered by the test.
 *
 *   const desktop = createElectronStandin({ browser });
 *   startDesktopApp(desktop.electron, …);       // the real shell
 *   desktop.tray().menu.click('Sync now');       // a test acts as the user
 *
 * See README.md for what each piece does and what this cannot prove.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ElectronApis } from '../../src-main/shell/electron-apis.js';
import { StandinApp, StandinDesktop } from './app.js';
import { StandinProtocol } from './app-origin.js';
import { browserWindowClass, type StandinBrowserWindow } from './browser-window.js';
import { StandinIpcMain } from './ipc-main.js';
import { notificationClass, type StandinNotification } from './notifications.js';
import { StandinDialog, StandinNativeTheme, StandinPowerMonitor, StandinSafeStorage, StandinScreen, StandinSessionModule, StandinShell, type StorageBackend } from './os-services.js';
import { StandinMenu, trayClass, type StandinTray } from './tray-menu.js';

export interface StandinOptions {
  browser: Browser;
  /** Instances sharing one desktop share the single-instance lock (a second launch). */
  desktop?: StandinDesktop;
  /** Linux's password store; 'basic_text' when the desktop has no keyring. */
  storageBackend?: StorageBackend;
  notificationsSupported?: boolean;
}

export type ElectronStandin = Awaited<ReturnType<typeof createElectronStandin>>;

export async function createElectronStandin(options: StandinOptions) {
  const context: BrowserContext = await options.browser.newContext();
  const windows: StandinBrowserWindow[] = [];
  const trays: StandinTray[] = [];
  const notifications: StandinNotification[] = [];
  const popups: Array<{ url: string; action: string }> = [];
  // Not ready yet: the caller's code up to its first await runs before `ready`, as in Electron.
  const app = new StandinApp(options.desktop ?? new StandinDesktop(), () => [...windows]);
  const protocol = new StandinProtocol(app);
  const ipcMain = new StandinIpcMain();
  /** Pages of destroyed windows, closing: the context is closed only after them. */
  const pagesClosing: Array<Promise<void>> = [];
  const BrowserWindow = browserWindowClass({
    app, context, protocol, ipcMain, popups,
    created: (window) => {
      windows.push(window);
      app.emit('web-contents-created', {}, window.webContents);
      app.emit('browser-window-created', {}, window);
    },
    closed: (window) => {
      pagesClosing.push(window.pageClosed);
      windows.splice(windows.indexOf(window), 1);
      if (windows.length === 0) app.lastWindowClosed();
    },
  });
  guardPopups(context, windows, popups);

  const electron = {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    Tray: trayClass(trays, app),
    // The shell types a built menu as Electron's own Menu (Tray.setContextMenu takes nothing else).
    Menu: StandinMenu as unknown as ElectronApis['Menu'],
    Notification: notificationClass(notifications, () => options.notificationsSupported ?? true, app),
    safeStorage: new StandinSafeStorage(options.storageBackend ?? 'gnome_libsecret', app),
    powerMonitor: new StandinPowerMonitor(),
    nativeTheme: new StandinNativeTheme(),
    dialog: new StandinDialog(app),
    shell: new StandinShell(),
    screen: new StandinScreen(app),
    session: new StandinSessionModule(app),
  } satisfies ElectronApis;

  return {
    electron,
    windows,
    trays,
    notifications,
    popups,
    /** The one tray the app shows. */
    tray(): StandinTray {
      const live = trays.filter((tray) => !tray.destroyed);
      const [only] = live;
      if (live.length !== 1 || !only) throw new Error(`expected one tray, found ${live.length}`);
      return only;
    },
    /** The open window whose page URL matches, once it exists and has loaded. */
    async window(match: (url: string) => boolean, timeoutMs = 30_000): Promise<{ window: StandinBrowserWindow; page: Page }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = windows.find((window) => !window.isDestroyed() && window.page && match(window.currentUrl()));
        if (found) return { window: found, page: await found.loadedPage() };
        if (Date.now() > deadline) throw new Error(`no window matching within ${timeoutMs} ms; open: ${windows.map((w) => w.currentUrl()).join(', ') || 'none'}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close(): Promise<void> {
      for (const window of [...windows]) window.destroy();
      await Promise.all(pagesClosing);
      await context.close();
      await protocol.close();
    },
  };
}

/**
 * Pop-ups (window.open, target=_blank) are pages the shell did not create. Their first navigation
 * is held (Chromium issues it before the pop-up's frame exists), the window-open handler of the
 * window decides on its URL, and after a "deny" every pop-up page is closed. The harness never
 * turns an allowed pop-up into a window of its own (the shell allows none).
 */
function guardPopups(context: BrowserContext, windows: StandinBrowserWindow[], popups: Array<{ url: string; action: string }>): void {
  const popupPages = new Set<Page>();
  const isWindowPage = (page: Page) => windows.some((window) => window.page === page);
  const closeIfDenied = () => {
    if (popups.at(-1)?.action !== 'deny') return;
    for (const page of popupPages) void page.close().catch(() => undefined);
    popupPages.clear();
  };
  void context.route(() => true, async (route) => {
    const request = route.request();
    let page: Page | null = null;
    try {
      page = request.frame().page();
    } catch {
      // A pop-up's first navigation: its frame does not exist yet.
    }
    if (page && isWindowPage(page)) return route.fallback();
    await route.abort('aborted');
    if (!request.isNavigationRequest()) return;
    const owner = windows.find((window) => !window.isDestroyed() && window.webContents.windowOpenHandler);
    const answer = owner?.webContents.windowOpenHandler?.({ url: request.url() }) ?? { action: 'allow' };
    popups.push({ url: request.url(), action: answer.action });
    closeIfDenied();
  });
  context.on('page', (page) => {
    void page.opener().then((opener) => {
      // Windows are pages without an opener.
      if (opener === null) return;
      popupPages.add(page);
      closeIfDenied();
    });
  });
}
