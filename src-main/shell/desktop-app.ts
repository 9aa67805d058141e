/**
 * The tray app's composition root: the sync service with its tray, windows, IPC, notifications and
 * OS hooks, all over the Electron objects it is given (the real module from main.ts, a stand-in in
 * tests). It owns no sync logic: every action goes through the service's AppBridge.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { iCloudClientFactory, type ClientFactory } from '../app/client-factory.js';
import type { Clock } from '../app/clock.js';
import { serviceBridge } from '../app/service-bridge.js';
import { SyncService } from '../app/sync-service.js';
import { systemClock } from '../app/clock.js';
import { configuredPasswordSource, type ApplePasswordSource } from '../config/password-source.js';
import type { Settings } from '../config/settings.js';
import { createLogger, type Logger } from '../log/logger.js';
import { ServicePage } from '../web/service-page.js';
import { pauseUntil, type AppCommand, type PauseChoice } from '../../src-shared/contract.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol.js';
import { DesktopPrefs } from './desktop-prefs.js';
import { APP_USER_MODEL_ID, desktopNotifier } from './desktop-notifier.js';
import type { ElectronApis } from './electron-apis.js';
import { pushEvents, registerIpcHandlers, type DesktopHandlers } from './ipc-handlers.js';
import { applyLaunchAtLogin, startedAtLogin, type LaunchAtLoginHost } from './launch-at-login.js';
import { SafeStoragePassword } from './safe-storage-password.js';
import { applySecurity } from './security.js';
import { TrayController } from './tray-controller.js';
import { trayVariant } from './tray-variant.js';
import { WindowManager } from './window-manager.js';

const TOOLTIP_REFRESH_MS = 60_000;

export interface DesktopAppOptions {
  /** The data folder shared with the CLI (config.json, sessions, trackers); desktop.json goes here too. */
  dataDir: string;
  /** dist/preload/preload.cjs */
  preloadPath: string;
  /** dist/renderer */
  rendererDir: string;
  /** build/tray */
  trayIconDir: string;
  /** The window icon (build/icon.png). */
  windowIconPath?: string;
  /** Default: the real iCloud client; tests pass the simulator's. */
  clientFactory?: ClientFactory;
  clock?: Clock;
  firstRunDelayMs?: number;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** The program a login starts, and the arguments before ours (the app folder when not packaged). */
  execPath?: string;
  appArgs?: string[];
  /** This process's arguments (--background: started at login, no window). */
  argv?: readonly string[];
  logger?: Logger;
}

export interface DesktopApp {
  service: SyncService;
  windows: WindowManager;
  tray: TrayController;
  prefs: DesktopPrefs;
  passwords: SafeStoragePassword;
  /** The local web page: served while a code is needed, or always when desktop.json's webPageAlwaysOn says so. */
  page: ServicePage;
  /** Closes the local page, stops the run in progress cleanly (files in flight stay resumable), then quits Electron. */
  quit(): Promise<void>;
}

/** The settings' password file or variable when set, else the one kept with safeStorage. */
function desktopPasswordSource(settings: Settings, env: NodeJS.ProcessEnv, kept: SafeStoragePassword): ApplePasswordSource {
  const configured = configuredPasswordSource(settings, env);
  return {
    read: async () => (await configured.read()) ?? (await kept.read()),
    remember: (password) => kept.remember(password),
    forget: () => kept.forget(),
  };
}

export async function startDesktopApp(electron: ElectronApis, options: DesktopAppOptions): Promise<DesktopApp | null> {
  const { app } = electron;
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger('desktop');

  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // A second launch only wakes the first one (its 'second-instance' below) and leaves.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // A second launch while this one is still starting is remembered, and shows the window once there is one.
  let secondLaunchDuringStart = false;
  let onSecondLaunch = (): void => void (secondLaunchDuringStart = true);
  app.on('second-instance', () => onSecondLaunch());
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => undefined);
  // Electron refuses the default session (its permission handlers, protocol.handle), windows, the
  // tray and notifications until it is ready.
  await app.whenReady();
  applySecurity(electron);
  electron.protocol.handle(APP_SCHEME, appProtocolHandler(options.rendererDir));

  const prefs = new DesktopPrefs(options.dataDir, app.getVersion());
  const passwords = new SafeStoragePassword(electron.safeStorage, options.dataDir, platform);
  const windows = new WindowManager(electron, {
    preloadPath: options.preloadPath,
    bounds: prefs,
    onLoadFailed: (url, error) => logger.warn({ err: error, url }, 'a window could not load its page'),
    ...(options.windowIconPath ? { iconPath: options.windowIconPath } : {}) });
  const openRightWindow = (): void => {
    if (service.snapshot().signIn.status === 'needs-code') windows.showCode();
    else windows.showMain('status');
  };
  // The same local page as the daemon's: the code popup comes first, the page lets another
  // browser or a phone (through a notification's link) answer too.
  const page = new ServicePage();
  const service = new SyncService({
    dataDir: options.dataDir,
    clientFactory: options.clientFactory ?? iCloudClientFactory(),
    env,
    clock,
    logger,
    passwordSource: (settings) => desktopPasswordSource(settings, env, passwords),
    signInSource: 'desktop',
    notify: { desktop: desktopNotifier(electron, openRightWindow, options.windowIconPath), page: page.forNotifications },
    ...(options.firstRunDelayMs !== undefined ? { firstRunDelayMs: options.firstRunDelayMs } : {}),
  });
  page.attach(service, { dataDir: options.dataDir, logger, show: null, uiDir: options.rendererDir });
  const bridge = serviceBridge(service);
  const send = (command: AppCommand): void => {
    void bridge.send(command).then(
      (reply) => reply.ok || logger.info({ code: reply.error.code }, `tray: ${command.type} refused`),
      (error: unknown) => logger.error({ err: error }, `tray: ${command.type} failed`),
    );
  };

  const loginHost: LaunchAtLoginHost = {
    platform,
    env,
    homeDir: options.homeDir ?? homedir(),
    execPath: options.execPath ?? process.execPath,
    appArgs: options.appArgs ?? [],
    app,
  };
  const desktop: DesktopHandlers = {
    'open-folder': async () => {
      const folder = service.syncFolder;
      if (!folder) return { opened: false, message: 'No photos folder is set yet: choose one in Settings.' };
      const problem = await electron.shell.openPath(folder);
      return { opened: problem === '', message: problem || null };
    },
    'pick-folder': async () => {
      const picked = await electron.dialog.showOpenDialog({
        title: 'Choose the folder for your photos',
        defaultPath: service.syncFolder ?? loginHost.homeDir,
        properties: ['openDirectory', 'createDirectory'],
      });
      return { path: picked.canceled ? null : (picked.filePaths[0] ?? null) };
    },
    'desktop-info': async () => ({ launchAtLogin: prefs.launchAtLogin, webPageAlwaysOn: prefs.webPageAlwaysOn, passwordStorage: await passwords.storage() }),
    'set-launch-at-login': ({ enabled }) => {
      applyLaunchAtLogin(enabled, loginHost);
      prefs.launchAtLogin = enabled;
      return Promise.resolve({ launchAtLogin: enabled });
    },
    'set-web-page-always-on': async ({ enabled }) => {
      prefs.webPageAlwaysOn = enabled;
      // Whether it could start shows in the snapshot (the Status view's "Local web page").
      await page.setAlwaysOn(enabled);
      return { webPageAlwaysOn: enabled };
    },
  };
  registerIpcHandlers(electron.ipcMain, { bridge, isOwnWindow: (id) => windows.isOwnWindow(id), desktop });

  await service.start();
  // An AppImage's path changes with each version: the autostart entry is written again at each start.
  if (prefs.launchAtLogin) applyLaunchAtLogin(true, loginHost);
  if (prefs.webPageAlwaysOn) await page.setAlwaysOn(true);

  let quitting: Promise<void> | null = null;
  let stopped = false;
  const quit = (): Promise<void> => {
    quitting ??= (async () => {
      unsubscribe();
      // The page first: no browser command reaches a service that is stopping, and its link file goes.
      await page.stop();
      await service.stop();
      tray.destroy();
      stopped = true;
      app.quit();
    })();
    return quitting;
  };

  const iconVariant = () => trayVariant(platform, prefs.trayPanel, electron.nativeTheme.shouldUseDarkColors);
  const tray = new TrayController(
    electron,
    {
      iconDir: options.trayIconDir,
      platform,
      variant: iconVariant(),
      now: () => clock.now(),
      actions: {
        open: () => windows.showMain('status'),
        openSettings: () => windows.showMain('settings'),
        enterCode: () => windows.showCode(),
        syncNow: () => send({ type: 'sync-now' }),
        // The service's clock, so a test's clock (and the service's own idea of now) decides when a pause ends.
        pause: (choice: PauseChoice) => send({ type: 'pause', until: pauseUntil(choice, new Date(clock.now())) }),
        resume: () => send({ type: 'resume' }),
        openFolder: () => void desktop['open-folder']({ type: 'open-folder' }),
        quit: () => void quit(),
      },
    },
    service.snapshot(),
  );

  const stopPushing = pushEvents(bridge, () => windows.open().map((window) => window.webContents));
  const stopFollowing = bridge.onEvent((event) => {
    if (event.type === 'snapshot') {
      tray.update(event.snapshot);
      windows.follow(event.snapshot);
      if (event.snapshot.state !== 'not-set-up' && !prefs.firstRunDone) prefs.firstRunDone = true;
    } else if (event.type === 'progress') {
      tray.refreshTooltip(service.snapshot());
    }
  });
  // "next sync in 3 h" must not stay "in 3 h" for three hours.
  const ticker = setInterval(() => tray.refreshTooltip(service.snapshot()), TOOLTIP_REFRESH_MS);
  ticker.unref();
  const unsubscribe = (): void => {
    clearInterval(ticker);
    stopPushing();
    stopFollowing();
  };

  onSecondLaunch = () => windows.showMain();
  electron.powerMonitor.on('resume', () => service.catchUp());
  // The OS shutting down stops the run as Quit does (files in flight stay resumable temp files).
  // Linux and macOS: Electron delays the shutdown while the event is prevented, until the app quits.
  electron.powerMonitor.on('shutdown', (event) => {
    event?.preventDefault();
    void quit();
  });
  // Windows emits no before-quit at shut down or log off, only these, and only to windows.
  app.on('browser-window-created', (_event, window) => {
    window.on('query-session-end', () => void quit());
    window.on('session-end', () => void quit());
  });
  electron.nativeTheme.on('updated', () => tray.setVariant(iconVariant()));
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Quit waits for the run to stop cleanly; quit() calls app.quit() again once it has.
    event?.preventDefault();
    void quit();
  });

  const snapshot = service.snapshot();
  windows.follow(snapshot);
  const firstRun = !prefs.firstRunDone || snapshot.state === 'not-set-up';
  if (firstRun || !startedAtLogin(options.argv ?? process.argv) || secondLaunchDuringStart) windows.showMain(snapshot.state === 'not-set-up' ? 'setup' : 'status');
  logger.info({ dataDir: path.resolve(options.dataDir) }, 'tray app started');
  return { service, windows, tray, prefs, passwords, page, quit };
}
