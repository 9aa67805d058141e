import { describe, expect, it } from 'vitest';
import { INITIAL_SNAPSHOT, type AppBridge, type AppEvent, type AppSnapshot } from '../../src-shared/contract.js';
import { IPC_CHANNELS } from '../../src-shared/ipc-channels.js';
import type { BrowserWindowOptions, IpcInvokeEvent, Rectangle } from '../../src-main/shell/electron-apis.js';
import { pushEvents, registerIpcHandlers, type DesktopHandlers } from '../../src-main/shell/ipc-handlers.js';
import { fitsOnADisplay, WindowManager } from '../../src-main/shell/window-manager.js';

/** A recorded BrowserWindow: what it loaded, and its listeners to fire by hand. */
class RecordedWindow {
  static created: RecordedWindow[] = [];
  static nextId = 1;
  readonly webContents = { id: RecordedWindow.nextId++, sent: [] as unknown[], send: (_channel: string, event: unknown) => this.webContents.sent.push(event), setWindowOpenHandler() {}, on() {}, isDestroyed: () => this.destroyed };
  readonly loaded: string[] = [];
  readonly listeners = new Map<string, Array<(event?: unknown) => void>>();
  destroyed = false;
  visible = false;
  focused = 0;
  constructor(readonly options: BrowserWindowOptions) {
    RecordedWindow.created.push(this);
  }
  static loadError: Error | null = null;
  loadURL(url: string) { this.loaded.push(url); return RecordedWindow.loadError ? Promise.reject(RecordedWindow.loadError) : Promise.resolve(); }
  show() { this.visible = true; }
  focus() { this.focused += 1; }
  close() { this.emit('close', { preventDefault() {} }); this.destroyed = true; this.emit('closed'); }
  isDestroyed() { return this.destroyed; }
  isMinimized() { return false; }
  restore() {}
  getBounds(): Rectangle { return { x: 100, y: 80, width: 700, height: 500 }; }
  on(event: string, listener: (event?: unknown) => void) { this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]); return this; }
  once(event: string, listener: () => void) { return this.on(event, listener); }
  emit(event: string, arg?: unknown) { for (const listener of this.listeners.get(event) ?? []) listener(arg); }
}

const DISPLAY = { workArea: { x: 0, y: 0, width: 1920, height: 1040 } };

function manager(saved: Rectangle | null = null) {
  RecordedWindow.created = [];
  RecordedWindow.loadError = null;
  const savedBounds: Rectangle[] = [];
  const failedLoads: string[] = [];
  const windows = new WindowManager(
    { BrowserWindow: RecordedWindow as never, screen: { getAllDisplays: () => [DISPLAY] } },
    { preloadPath: '/preload.cjs', bounds: { windowBounds: saved, saveWindowBounds: (bounds) => savedBounds.push(bounds) }, onLoadFailed: (url) => failedLoads.push(url) },
  );
  return { windows, savedBounds, failedLoads };
}

const needsCode: AppSnapshot = { ...INITIAL_SNAPSHOT, state: 'needs-you', signIn: { ...INITIAL_SNAPSHOT.signIn, status: 'needs-code' } };
const ready: AppSnapshot = { ...INITIAL_SNAPSHOT, state: 'up-to-date', signIn: { ...INITIAL_SNAPSHOT.signIn, status: 'ready' } };

describe('window manager', () => {
  it('opens one main window over app://, shows it when ready, switches its view by hash and saves its bounds on close', () => {
    const { windows, savedBounds } = manager();
    const main = windows.showMain('setup') as unknown as RecordedWindow;
    expect(main.options).toMatchObject({ show: false, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/preload.cjs' } });
    expect(main.loaded).toEqual(['app://ui/index.html#setup']);
    expect(main.visible).toBe(false);
    main.emit('ready-to-show');
    expect(main.visible).toBe(true);
    expect(windows.showMain('settings')).toBe(main);
    expect(windows.showMain()).toBe(main);
    expect(main.loaded).toEqual(['app://ui/index.html#setup', 'app://ui/index.html#settings']);
    expect(RecordedWindow.created).toHaveLength(1);
    main.close();
    expect(savedBounds).toEqual([{ x: 100, y: 80, width: 700, height: 500 }]);
    expect(windows.main).toBeNull();
    expect(windows.showMain()).not.toBe(main);
  });

  it('handles a load that fails: silent when the window closed first (ERR_ABORTED), reported while it is open', async () => {
    const { windows, failedLoads } = manager();
    RecordedWindow.loadError = new Error('ERR_ABORTED (-3) loading app://ui/index.html#code');
    const popup = windows.showCode() as unknown as RecordedWindow;
    popup.close();
    const main = windows.showMain('status') as unknown as RecordedWindow;
    await new Promise((resolve) => setImmediate(resolve));
    expect(main.isDestroyed()).toBe(false);
    expect(failedLoads).toEqual(['app://ui/index.html#status']);
  });

  it('reuses saved bounds only when they fit on a connected display', () => {
    expect(fitsOnADisplay({ x: 10, y: 10, width: 700, height: 500 }, [DISPLAY])).toBe(true);
    expect(fitsOnADisplay({ x: 2500, y: 10, width: 700, height: 500 }, [DISPLAY])).toBe(false);
    expect(fitsOnADisplay({ x: 1500, y: 10, width: 700, height: 500 }, [DISPLAY])).toBe(false);
    const onScreen = manager({ x: 10, y: 20, width: 700, height: 500 }).windows.showMain() as unknown as RecordedWindow;
    expect(onScreen.options).toMatchObject({ x: 10, y: 20, width: 700, height: 500 });
    const unplugged = manager({ x: 3000, y: 20, width: 700, height: 500 }).windows.showMain() as unknown as RecordedWindow;
    expect(unplugged.options.x).toBeUndefined();
  });

  it('opens the code popup by itself when a code is needed, closes it after, and a stale popup\'s close keeps the new one', () => {
    const { windows } = manager();
    windows.follow(ready);
    expect(windows.code).toBeNull();
    windows.follow(needsCode);
    const first = windows.code as unknown as RecordedWindow;
    expect(first.loaded).toEqual(['app://ui/index.html#code']);
    expect(first.options).toMatchObject({ alwaysOnTop: true, resizable: false });
    windows.follow(needsCode);
    expect(RecordedWindow.created).toHaveLength(1);
    windows.follow(ready);
    expect(first.destroyed).toBe(true);
    expect(windows.code).toBeNull();
    // A second code request while the first popup's "closed" arrives late.
    const lateFirst = windows.showCode() as unknown as RecordedWindow;
    lateFirst.destroyed = true;
    const second = windows.showCode() as unknown as RecordedWindow;
    expect(second).not.toBe(lateFirst);
    lateFirst.emit('closed');
    expect(windows.code).toBe(second);
  });

  it('knows its own windows by webContents id', () => {
    const { windows } = manager();
    const main = windows.showMain() as unknown as RecordedWindow;
    expect(windows.isOwnWindow(main.webContents.id)).toBe(true);
    expect(windows.isOwnWindow(9999)).toBe(false);
    main.close();
    expect(windows.isOwnWindow(main.webContents.id)).toBe(false);
  });
});

describe('IPC handlers', () => {
  function setUp() {
    const handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
    const sent: unknown[] = [];
    let listener: ((event: AppEvent) => void) | undefined;
    const bridge: AppBridge = {
      getSnapshot: () => Promise.resolve(INITIAL_SNAPSHOT),
      onSnapshot: () => () => undefined,
      onEvent: (each) => ((listener = each), () => undefined),
      send: (command) => (sent.push(command), Promise.resolve({ ok: true, result: { started: true, reason: null } }) as never),
      getThumbnail: (assetId) => (sent.push({ thumbnail: assetId }), Promise.resolve({ available: true, contentType: 'image/jpeg', bytes: new Uint8Array([1]) })),
    };
    const desktop: DesktopHandlers = {
      'open-folder': () => Promise.resolve({ opened: true, message: null }),
      'pick-folder': () => Promise.resolve({ path: '/picked' }),
      'desktop-info': () => Promise.resolve({ launchAtLogin: false, webPageAlwaysOn: false, passwordStorage: { available: true, reason: null } }),
      'set-launch-at-login': (command) => Promise.resolve({ launchAtLogin: command.enabled }),
      'set-web-page-always-on': (command) => Promise.resolve({ webPageAlwaysOn: command.enabled }),
    };
    registerIpcHandlers({ handle: (channel, handler) => handlers.set(channel, handler) }, { bridge, isOwnWindow: (id) => id === 7, desktop });
    const call = (channel: string, event: IpcInvokeEvent, ...args: unknown[]) => Promise.resolve().then(() => handlers.get(channel)!(event, ...args));
    return { call, sent, emit: (event: AppEvent) => listener?.(event), bridge };
  }
  const own: IpcInvokeEvent = { sender: { id: 7 }, senderFrame: { url: 'app://ui/index.html#status' } };

  it('answers the app\'s own pages with the snapshot, parsed commands and desktop actions', async () => {
    const { call, sent } = setUp();
    await expect(call(IPC_CHANNELS.getSnapshot, own)).resolves.toEqual(INITIAL_SNAPSHOT);
    await expect(call(IPC_CHANNELS.command, own, { type: 'sync-now' })).resolves.toEqual({ ok: true, result: { started: true, reason: null } });
    await expect(call(IPC_CHANNELS.thumbnail, own, 'AXYZ')).resolves.toMatchObject({ available: true });
    expect(sent).toEqual([{ type: 'sync-now' }, { thumbnail: 'AXYZ' }]);
    await expect(call(IPC_CHANNELS.desktop, own, { type: 'pick-folder' })).resolves.toEqual({ ok: true, result: { path: '/picked' } });
  });

  it('refuses other senders: a foreign window, a foreign frame URL, no frame', async () => {
    const { call, sent } = setUp();
    for (const event of [
      { sender: { id: 8 }, senderFrame: { url: 'app://ui/index.html' } },
      { sender: { id: 7 }, senderFrame: { url: 'https://evil.example/' } },
      { sender: { id: 7 }, senderFrame: { url: 'file:///tmp/index.html' } },
      { sender: { id: 7 }, senderFrame: null },
    ]) {
      for (const channel of [IPC_CHANNELS.getSnapshot, IPC_CHANNELS.command, IPC_CHANNELS.desktop, IPC_CHANNELS.thumbnail]) {
        await expect(call(channel, event, { type: 'sync-now' }), `${channel} ${JSON.stringify(event)}`).rejects.toThrow('IPC refused');
      }
    }
    expect(sent).toEqual([]);
  });

  it('refuses malformed arguments with a reply, before anything acts', async () => {
    const { call, sent } = setUp();
    const reply = (await call(IPC_CHANNELS.command, own, { type: 'pause', until: 'tomorrow' })) as { ok: boolean; error: { code: string } };
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(await call(IPC_CHANNELS.command, own, { type: 'format-disk' })).toMatchObject({ ok: false });
    expect(await call(IPC_CHANNELS.desktop, own, { type: 'set-launch-at-login', enabled: 'yes' })).toMatchObject({ ok: false });
    expect(await call(IPC_CHANNELS.thumbnail, own, { assetId: 'x' })).toMatchObject({ available: false });
    expect(sent).toEqual([]);
  });

  it('pushes every service event to every open window', () => {
    const { emit, bridge } = setUp();
    const received: unknown[] = [];
    pushEvents(bridge, () => [{ send: (channel, event) => received.push([channel, event.type]) }, { send: (channel, event) => received.push([channel, event.type]) }]);
    emit({ type: 'snapshot', snapshot: INITIAL_SNAPSHOT });
    expect(received).toEqual([[IPC_CHANNELS.event, 'snapshot'], [IPC_CHANNELS.event, 'snapshot']]);
  });
});
