/**
 * Exactly the part of Electron's API the shell uses, as plain structural types. The shell's modules
 * take these as parameters and never import `electron` at run time (only main.ts does), so the test
 * harness can pass a stand-in (tests/) and unit tests small hand-written objects. `main.ts` passes
 * the real module: the type check there proves Electron itself fits this type.
 */

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An event whose default action a listener may cancel (will-navigate, before-quit, close). */
export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebFrameLike {
  /** The frame's current URL; our own pages are app://ui/… */
  readonly url: string;
}

export interface WindowOpenDetails {
  url: string;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: WindowOpenDetails) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  isDestroyed(): boolean;
}

export interface BrowserWindowOptions {
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  minWidth?: number;
  minHeight?: number;
  title?: string;
  show?: boolean;
  resizable?: boolean;
  minimizable?: boolean;
  maximizable?: boolean;
  alwaysOnTop?: boolean;
  skipTaskbar?: boolean;
  autoHideMenuBar?: boolean;
  icon?: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInSubFrames?: false;
    webSecurity: true;
    webviewTag: false;
    allowRunningInsecureContent: false;
    spellcheck?: boolean;
  };
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  close(): void;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  getBounds(): Rectangle;
  on(event: 'close' | 'closed', listener: () => void): unknown;
  /** Windows only: the session ends (shut down, restart, log off); app's before-quit is not emitted then. */
  on(event: 'query-session-end' | 'session-end', listener: (event: WindowSessionEndEvent) => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

export interface WindowSessionEndEvent extends PreventableEvent {
  readonly reasons: ReadonlyArray<'shutdown' | 'close-app' | 'critical' | 'logoff'>;
}

export type BrowserWindowConstructor = new (options: BrowserWindowOptions) => BrowserWindowLike;

/** One entry of a native menu; `click` is the only way the shell learns of a choice. */
export interface MenuTemplateItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuTemplateItem[];
}

/**
 * A built native menu, which the shell only passes from Menu.buildFromTemplate to Tray.setContextMenu.
 * It is Electron's own type because Tray.setContextMenu accepts nothing else; a stand-in casts.
 */
export type MenuLike = import('electron').Menu;

/** Tray images are given as file paths (PNG on Linux, ICO on Windows); Electron loads them with nativeImage. */
export interface TrayLike {
  setImage(imagePath: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuLike | null): void;
  on(event: 'click' | 'double-click', listener: () => void): unknown;
  destroy(): void;
}

export type TrayConstructor = new (imagePath: string) => TrayLike;

export interface IpcInvokeEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: WebFrameLike | null;
}

export interface NotificationOptions {
  title: string;
  body: string;
  silent?: boolean;
  urgency?: 'normal' | 'critical' | 'low';
  icon?: string;
}

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface NotificationConstructor {
  new (options: NotificationOptions): NotificationLike;
  isSupported(): boolean;
}

export type StorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export interface LoginItemSettingsInput {
  openAtLogin: boolean;
  path?: string;
  args?: string[];
}

export interface ElectronApis {
  app: {
    readonly isPackaged: boolean;
    whenReady(): Promise<void>;
    requestSingleInstanceLock(): boolean;
    getVersion(): string;
    setAppUserModelId(id: string): void;
    setLoginItemSettings(settings: LoginItemSettingsInput): void;
    quit(): void;
    on(event: 'second-instance', listener: () => void): unknown;
    on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
    on(event: 'window-all-closed', listener: () => void): unknown;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
    on(event: 'browser-window-created', listener: (event: unknown, window: BrowserWindowLike) => void): unknown;
  };
  BrowserWindow: BrowserWindowConstructor;
  Tray: TrayConstructor;
  Menu: { buildFromTemplate(template: MenuTemplateItem[]): MenuLike };
  ipcMain: {
    handle(channel: string, handler: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  };
  protocol: {
    registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean } }>): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  session: {
    defaultSession: {
      setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
      setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
    };
  };
  shell: {
    openExternal(url: string): Promise<void>;
    /** Resolves with an error message, or '' when the path opened. */
    openPath(path: string): Promise<string>;
  };
  dialog: {
    /** Not tied to a window: Electron's parent-window form wants its full BaseWindow type. */
    showOpenDialog(options: { title?: string; defaultPath?: string; properties: Array<'openDirectory' | 'createDirectory'> }): Promise<{ canceled: boolean; filePaths: string[] }>;
  };
  Notification: NotificationConstructor;
  safeStorage: {
    isAsyncEncryptionAvailable(): Promise<boolean>;
    encryptStringAsync(plainText: string): Promise<Buffer>;
    decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
    getSelectedStorageBackend(): StorageBackend;
  };
  powerMonitor: {
    on(event: 'resume', listener: () => void): unknown;
    /**
     * Linux and macOS: the system is about to shut down or restart; preventDefault() delays it until
     * the app quits. Electron passes the event (its docs say so) but its typings leave it out: optional.
     */
    on(event: 'shutdown', listener: (event?: PreventableEvent) => void): unknown;
  };
  /** `updated` fires when Windows' (or the desktop's) dark mode changes. */
  nativeTheme: { readonly shouldUseDarkColors: boolean; on(event: 'updated', listener: () => void): unknown };
  screen: { getAllDisplays(): Array<{ workArea: Rectangle }> };
}
