import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDesktopApp, type DesktopApp } from '../../src-main/shell/desktop-app.js';
import type { BrowserWindowOptions, ElectronApis, IpcInvokeEvent, MenuTemplateItem, PreventableEvent } from '../../src-main/shell/electron-apis.js';
import { IPC_CHANNELS } from '../../src-shared/ipc-channels.js';
import { ManualClock } from '../support/manual-clock.js';

/** A recording stand-in for the Electron subset: enough to drive the composition root under Node. */
function recordedElectron(options: { lock?: boolean } = {}) {
  const calls: string[] = [];
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const ipc = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  const windows: Array<{ options: BrowserWindowOptions; loaded: string[]; focused: number; id: number; closedListeners: Array<() => void> }> = [];
  const tray = { image: '', tooltip: '', menu: [] as MenuTemplateItem[] };
  const power = new Map<string, (event?: PreventableEvent) => void>();
  // Windows' "app mode": light until the test switches it.
  const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false });
  let nextId = 1;
  // Electron refuses its default session before ready; so does this recording.
  let ready = false;
  const defaultSession = { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined };
  class BrowserWindow {
    readonly record;
    readonly webContents;
    constructor(windowOptions: BrowserWindowOptions) {
      const id = nextId++;
      this.record = { options: windowOptions, loaded: [] as string[], focused: 0, id, closedListeners: [] as Array<() => void> };
      this.webContents = { id, send() {}, setWindowOpenHandler() {}, on() {}, isDestroyed: () => false };
      windows.push(this.record);
    }
    loadURL(url: string) { this.record.loaded.push(url); return Promise.resolve(); }
    show() {}
    focus() { this.record.focused += 1; }
    close() {}
    isDestroyed() { return false; }
    isMinimized() { return false; }
    restore() {}
    getBounds() { return { x: 0, y: 0, width: 700, height: 500 }; }
    on(event: string, listener: (event: never) => void) { if (event === 'closed') this.record.closedListeners.push(listener as () => void); }
    once() {}
  }
  class Tray {
    constructor(image: string) { tray.image = image; }
    setImage(image: string) { tray.image = image; }
    setToolTip(text: string) { tray.tooltip = text; }
    setContextMenu(menu: unknown) { tray.menu = menu as MenuTemplateItem[]; }
    on() {}
    destroy() { calls.push('tray.destroy'); }
  }
  class Notification {
    static isSupported = () => true;
    show() {}
    on() {}
  }
  const electron: ElectronApis = {
    app: {
      isPackaged: false,
      whenReady: () => (calls.push('whenReady'), Promise.resolve().then(() => void (ready = true))),
      requestSingleInstanceLock: () => options.lock ?? true,
      getVersion: () => '0.1.0',
      setAppUserModelId: (id) => calls.push(`setAppUserModelId ${id}`),
      setLoginItemSettings: () => undefined,
      quit: () => calls.push('app.quit'),
      on: (event: string, listener: (...args: unknown[]) => void) => appListeners.set(event, listener),
    } as ElectronApis['app'],
    BrowserWindow,
    Tray,
    Menu: { buildFromTemplate: (template) => template as never },
    ipcMain: { handle: (channel, handler) => ipc.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => calls.push(`registerSchemes ${schemes.map((s) => s.scheme).join()}`),
      handle: (scheme) => calls.push(`protocol.handle ${scheme}`),
    },
    session: {
      get defaultSession() {
        calls.push(ready ? 'session.defaultSession' : 'session.defaultSession before ready');
        if (!ready) throw new TypeError('Session can only be received when app is ready');
        return defaultSession;
      },
    },
    shell: { openExternal: () => Promise.resolve(), openPath: () => Promise.resolve('') },
    dialog: { showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) },
    Notification,
    safeStorage: {
      getSelectedStorageBackend: () => 'basic_text',
      isAsyncEncryptionAvailable: () => Promise.resolve(false),
      encryptStringAsync: () => Promise.reject(new Error('unused')),
      decryptStringAsync: () => Promise.reject(new Error('unused')),
    },
    powerMonitor: { on: (event: string, listener: (event?: PreventableEvent) => void) => power.set(event, listener) },
    nativeTheme,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
  return { electron, calls, appListeners, ipc, windows, tray, power, nativeTheme };
}

const dirs: string[] = [];
let running: DesktopApp | null = null;
afterEach(async () => {
  await running?.quit();
  running = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(electron: ElectronApis, platform: NodeJS.Platform = 'linux') {
  const root = mkdtempSync(path.join(tmpdir(), 'shell-app-'));
  dirs.push(root);
  const rendererDir = path.join(root, 'renderer');
  const clock = new ManualClock(Date.UTC(2026, 2, 10, 12, 0, 0));
  const app = await startDesktopApp(electron, {
    dataDir: path.join(root, 'data'), preloadPath: '/preload.cjs', rendererDir, trayIconDir: '/tray', clock, platform,
    env: {}, homeDir: root, argv: [], firstRunDelayMs: 3_600_000,
  });
  running = app;
  return { app, clock, root };
}

describe('desktop app (composition root)', () => {
  it('on first launch registers app:// first, then after ready serves it, answers IPC and opens the first run', async () => {
    const world = recordedElectron();
    const { app } = await start(world.electron);
    expect(world.calls.slice(0, 5)).toEqual(['registerSchemes app', 'whenReady', 'session.defaultSession', 'session.defaultSession', 'protocol.handle app']);
    expect([...world.ipc.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).filter((channel) => channel !== IPC_CHANNELS.event).sort());
    expect(world.windows.map((each) => each.loaded)).toEqual([['app://ui/index.html#setup']]);
    expect(world.tray.image).toBe(path.join('/tray', 'not-set-up-dark-32.png'));
    expect(world.tray.tooltip).toMatch(/^iCloud Photo Sync: Not set up/);
    const own: IpcInvokeEvent = { sender: { id: world.windows[0]!.id }, senderFrame: { url: 'app://ui/index.html#setup' } };
    await expect(Promise.resolve(world.ipc.get(IPC_CHANNELS.getSnapshot)!(own))).resolves.toMatchObject({ state: 'not-set-up' });
    const info = await world.ipc.get(IPC_CHANNELS.desktop)!(own, { type: 'desktop-info' });
    expect(info).toMatchObject({ ok: true, result: { passwordStorage: { available: false } } });
    expect(app?.prefs.firstRunDone).toBe(false);
  });

  it('focuses the running window on a second launch, and a second instance only quits', async () => {
    const world = recordedElectron();
    await start(world.electron);
    world.appListeners.get('second-instance')?.();
    expect(world.windows).toHaveLength(1);
    expect(world.windows[0]!.focused).toBeGreaterThan(0);
    const second = recordedElectron({ lock: false });
    const { app } = await start(second.electron);
    expect(app).toBeNull();
    expect(second.calls).toContain('app.quit');
    expect(second.windows).toHaveLength(0);
  });

  it('does not lose a second launch that comes while the app is still starting', async () => {
    const world = recordedElectron();
    const starting = start(world.electron);
    // Still before ready (startDesktopApp has not passed its first await): the listener is there already.
    expect(world.calls).not.toContain('protocol.handle app');
    expect(world.appListeners.has('second-instance')).toBe(true);
    world.appListeners.get('second-instance')?.();
    await starting;
    // One window (shown and focused on its ready-to-show, which this recording never emits).
    expect(world.windows).toHaveLength(1);
    // Later launches focus the same window.
    const focused = world.windows[0]!.focused;
    world.appListeners.get('second-instance')?.();
    expect(world.windows[0]!.focused).toBeGreaterThan(focused);
  });

  it('pauses from the tray by the service\'s clock, catches up on resume from sleep, and stops the service before quitting', async () => {
    const world = recordedElectron();
    const { app, clock } = await start(world.electron, 'win32');
    expect(world.calls).toContain('setAppUserModelId io.github.icloud-photo-sync');
    world.tray.menu.find((item) => item.id === 'pause')?.submenu?.find((item) => item.id === 'pause-30m')?.click?.();
    await expect.poll(() => app!.service.snapshot().pause).toEqual({ until: new Date(clock.now() + 30 * 60_000).toISOString() });
    let caughtUp = 0;
    app!.service.catchUp = () => void (caughtUp += 1);
    world.power.get('resume')?.();
    expect(caughtUp).toBe(1);
    let prevented = false;
    world.appListeners.get('before-quit')?.({ preventDefault: () => (prevented = true) } satisfies PreventableEvent);
    expect(prevented).toBe(true);
    await expect.poll(() => world.calls.filter((call) => call === 'app.quit' || call === 'tray.destroy')).toEqual(['tray.destroy', 'app.quit']);
    // Electron calls before-quit again for the app.quit() above: now it goes through.
    prevented = false;
    world.appListeners.get('before-quit')?.({ preventDefault: () => (prevented = true) } satisfies PreventableEvent);
    expect(prevented).toBe(false);
  });

  it('stops the service and quits when the system shuts down, holding the shutdown until then', async () => {
    const world = recordedElectron();
    await start(world.electron);
    let prevented = false;
    world.power.get('shutdown')?.({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await expect.poll(() => world.calls.filter((call) => call === 'app.quit' || call === 'tray.destroy')).toEqual(['tray.destroy', 'app.quit']);
  });

  it('on Windows shows the tray icon set for the system\'s light or dark mode, and follows a switch', async () => {
    const world = recordedElectron();
    await start(world.electron, 'win32');
    expect(world.tray.image).toBe(path.join('/tray', 'not-set-up-light.ico'));
    world.nativeTheme.shouldUseDarkColors = true;
    world.nativeTheme.emit('updated');
    expect(world.tray.image).toBe(path.join('/tray', 'not-set-up-dark.ico'));
  });
});
