/**
 * `BrowserWindow` stand-in backed by a real Chromium page (Playwright). The page loads the shell's
 * `app://` URLs through their loopback origins (app-origin.ts), runs the real preload bundle
 * (renderer-world.ts), and its IPC reaches the stand-in `ipcMain` with the calling frame's URL.
 * Navigation and pop-ups go through the shell's own `will-navigate` and window-open handlers:
 * every main-frame navigation request the page starts is held until the listeners had their say.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Frame, Page, Route } from 'playwright-core';
import type { StandinProtocol } from './app-origin.js';
import type { Readiness } from './app.js';
import type { StandinIpcEvent, StandinIpcMain } from './ipc-main.js';
import { preventable } from './preventable.js';
import { IPC_BINDING, rendererInitScript } from './renderer-world.js';

export interface Rectangle { x: number; y: number; width: number; height: number }

export interface WindowHost {
  app: Readiness;
  context: BrowserContext;
  protocol: StandinProtocol;
  ipcMain: StandinIpcMain;
  /** Called once the window and its web contents exist (app's `web-contents-created`). */
  created(window: StandinBrowserWindow): void;
  /** Called after a window closed for good. */
  closed(window: StandinBrowserWindow): void;
  /** Pop-ups the page tried to open, with the shell's answer. */
  popups: Array<{ url: string; action: string }>;
}

let nextId = 1;

export class StandinWebContents extends EventEmitter {
  readonly id = nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  /** Main-frame navigations the shell's will-navigate listeners cancelled. */
  readonly blockedNavigations: string[] = [];
  private queue: Array<{ channel: string; args: unknown[] }> = [];
  private waiter: ((messages: Array<{ channel: string; args: unknown[] }>) => void) | null = null;
  destroyed = false;

  constructor(private readonly window: StandinBrowserWindow) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    // Electron serialises with structured clone; a value it cannot clone throws here as there.
    this.queue.push({ channel, args: structuredClone(args) });
    this.flush();
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The app URL of the page (what Electron's getURL() would say). */
  getURL(): string {
    return this.window.currentUrl();
  }

  /** The renderer's long poll: the queued messages now, or as soon as there are some. */
  nextMessages(): Promise<Array<{ channel: string; args: unknown[] }>> {
    // A new document's poll replaces the old one's (which belonged to a page that is gone).
    this.waiter?.([]);
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.flush();
    });
  }

  private flush(): void {
    if (!this.waiter || this.queue.length === 0) return;
    const waiter = this.waiter;
    this.waiter = null;
    waiter(this.queue.splice(0));
  }
}

export interface StandinWindowOptions {
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  title?: string;
  show?: boolean;
  webPreferences?: { preload?: string; contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean };
}

export function browserWindowClass(host: WindowHost) {
  const all: StandinBrowserWindow[] = [];
  class BrowserWindow extends StandinBrowserWindow {
    constructor(options: StandinWindowOptions) {
      host.app.requireReady('Cannot create BrowserWindow before app is ready');
      super(options, host);
      all.push(this);
      this.once('closed', () => all.splice(all.indexOf(this), 1));
    }
    static getAllWindows(): StandinBrowserWindow[] {
      return [...all];
    }
  }
  return BrowserWindow;
}

export class StandinBrowserWindow extends EventEmitter {
  readonly webContents: StandinWebContents;
  readonly options: StandinWindowOptions;
  /** The Chromium page; ready once `loadURL` has been called. */
  page: Page | null = null;
  private readonly pageReady: Promise<Page>;
  /**
   * Settles once a destroyed window's page is fully set up and closed. The harness waits for it
   * before closing the browser context: closing the context while the page is still being set up
   * (its binding, its preload) made Playwright throw outside any test.
   */
  pageClosed: Promise<void> = Promise.resolve();
  private bounds: Rectangle;
  private visible: boolean;
  private minimized = false;
  private focused = false;
  private destroyed = false;
  /** The URL the shell asked for: its navigation is the shell's own, not the page's. */
  private shellLoad: string | null = null;
  private loading: Promise<void> = Promise.resolve();

  constructor(options: StandinWindowOptions, private readonly host: WindowHost) {
    super();
    this.options = options;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.visible = options.show !== false;
    this.webContents = new StandinWebContents(this);
    this.pageReady = this.openPage();
    this.loading = this.pageReady.then(() => undefined, () => undefined);
    // Like Electron, a failure to set up the page surfaces where it is used, not as an unhandled rejection.
    this.pageReady.catch(() => undefined);
    host.created(this);
  }

  /** Settles when the loads asked for so far have ended, well or not (a test waits for it before quitting). */
  idle(): Promise<void> {
    return this.loading;
  }

  loadURL(url: string): Promise<void> {
    const load = this.load(url);
    this.loading = Promise.all([this.loading, load.catch(() => undefined)]).then(() => undefined);
    return load;
  }

  private async load(url: string): Promise<void> {
    const page = await this.pageReady;
    this.shellLoad = await this.host.protocol.toLoopback(url);
    try {
      // A change of the hash only is a same-document navigation: no request, no reload.
      await page.goto(this.shellLoad, { waitUntil: 'load' });
    } catch (error) {
      // Electron rejects a load cut short (the window closed meanwhile) with ERR_ABORTED, as here.
      if (this.destroyed) throw new Error(`ERR_ABORTED (-3) loading '${url}'`, { cause: error });
      throw error;
    } finally {
      this.shellLoad = null;
    }
    this.emit('ready-to-show');
  }

  /** The loaded page (waits for `loadURL`'s navigation to have started). */
  async loadedPage(): Promise<Page> {
    return this.pageReady;
  }

  currentUrl(): string {
    return this.page ? this.host.protocol.toAppUrl(this.page.url()) : '';
  }

  show(): void { this.visible = true; this.minimized = false; this.focused = true; this.emit('show'); }
  hide(): void { this.visible = false; this.focused = false; this.emit('hide'); }
  focus(): void { this.focused = true; this.emit('focus'); }
  minimize(): void { this.minimized = true; this.focused = false; this.emit('minimize'); }
  restore(): void { this.minimized = false; this.emit('restore'); }
  isVisible(): boolean { return this.visible && !this.minimized; }
  isFocused(): boolean { return this.focused; }
  isMinimized(): boolean { return this.minimized; }
  isDestroyed(): boolean { return this.destroyed; }
  getTitle(): string { return this.options.title ?? ''; }
  getBounds(): Rectangle { return { ...this.bounds }; }
  setBounds(bounds: Partial<Rectangle>): void {
    this.bounds = { ...this.bounds, ...bounds };
    void this.page?.setViewportSize({ width: this.bounds.width, height: this.bounds.height });
    this.emit('resized');
  }

  /**
   * Windows ends the session (shut down, restart, log off): `query-session-end` (cancellable),
   * then `session-end`. Answers whether a listener tried to hold the session open.
   */
  endSession(reasons: string[] = ['shutdown']): boolean {
    const query = Object.assign(preventable(), { reasons });
    this.emit('query-session-end', query);
    if (query.defaultPrevented) return true;
    this.emit('session-end', Object.assign(preventable(), { reasons }));
    return false;
  }

  /** What the user's close button does: `close` (cancellable), then gone for good. */
  close(): void {
    if (this.destroyed) return;
    const event = preventable();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.pageClosed = this.pageReady.then((page) => page.close()).catch(() => undefined);
    this.emit('closed');
    this.host.closed(this);
  }

  private async openPage(): Promise<Page> {
    const page = await this.host.context.newPage();
    this.page = page;
    await page.setViewportSize({ width: this.bounds.width, height: this.bounds.height });
    await page.exposeBinding(IPC_BINDING, (source, kind: string, channel: string, args: unknown[]) =>
      this.fromRenderer(source.frame, kind, channel, args));
    const preload = this.options.webPreferences?.preload;
    if (preload) await page.addInitScript({ content: rendererInitScript(readFileSync(preload, 'utf8')) });
    await page.route(() => true, (route) => this.guardNavigation(route));
    return page;
  }

  private fromRenderer(frame: Frame, kind: string, channel: string, args: unknown[]): unknown {
    if (kind === 'receive') return this.webContents.nextMessages();
    const url = this.host.protocol.toAppUrl(frame.url());
    const event: StandinIpcEvent = {
      sender: this.webContents,
      // app: is registered as a standard scheme, so its origin is scheme://host (Node's URL says "null").
      senderFrame: { url, origin: `${url.split('/', 3).join('/')}`, isMainFrame: frame.parentFrame() === null },
    };
    if (kind === 'invoke') return this.host.ipcMain.invoke(event, channel, args);
    this.host.ipcMain.emit(event, channel, args);
    return undefined;
  }

  /** Main-frame navigations the page starts ask the shell's `will-navigate` listeners first. */
  private async guardNavigation(route: Route): Promise<void> {
    const request = route.request();
    if (!request.isNavigationRequest() || request.frame().parentFrame() !== null) return route.continue();
    if (request.url() === this.shellLoad?.split('#')[0]) {
      this.shellLoad = null;
      return route.continue();
    }
    const url = this.host.protocol.toAppUrl(request.url());
    const event = preventable();
    this.webContents.emit('will-navigate', event, url);
    if (!event.defaultPrevented) return route.continue();
    this.webContents.blockedNavigations.push(url);
    // ERR_ABORTED cancels the navigation and keeps the current document, as a prevented will-navigate does.
    return route.abort('aborted');
  }
}
