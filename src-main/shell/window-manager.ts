/**
 * The app's two windows, both the React UI over app://: the main window (status, deleted, settings,
 * first run; the view is the URL's hash) and a small focused popup for a two-factor code, which
 * opens by itself when the service starts waiting for a code and closes once it no longer does.
 * Closing a window only closes it: the app stays in the tray. The main window's place and size are
 * remembered and reused only while they still fit on a connected display.
 */
import type { AppSnapshot } from '../../src-shared/snapshot.js';
import { appUrl, type AppView } from './app-protocol.js';
import type { BrowserWindowLike, BrowserWindowOptions, ElectronApis, Rectangle } from './electron-apis.js';
import { secureWebPreferences } from './security.js';

export interface WindowBoundsStore {
  readonly windowBounds: Rectangle | null;
  saveWindowBounds(bounds: Rectangle): void;
}

export interface WindowManagerOptions {
  preloadPath: string;
  /** The window icon (Linux title bars and task switchers); Windows takes the exe's. */
  iconPath?: string;
  bounds: WindowBoundsStore;
  /** A load that failed while its window stayed open (a window closed mid-load aborts it: not news). */
  onLoadFailed?: (url: string, error: unknown) => void;
}

const MAIN_SIZE = { width: 760, height: 600, minWidth: 520, minHeight: 420 };
const CODE_SIZE = { width: 420, height: 380 };

/** True when the whole rectangle lies within one display's work area (not off a display that was unplugged). */
export function fitsOnADisplay(bounds: Rectangle, displays: ReadonlyArray<{ workArea: Rectangle }>): boolean {
  return displays.some(({ workArea: area }) =>
    bounds.width > 0 && bounds.height > 0 &&
    bounds.x >= area.x && bounds.y >= area.y &&
    bounds.x + bounds.width <= area.x + area.width && bounds.y + bounds.height <= area.y + area.height);
}

export class WindowManager {
  private mainWindow: BrowserWindowLike | null = null;
  private mainView: AppView = 'status';
  private codeWindow: BrowserWindowLike | null = null;
  private lastSignInStatus: AppSnapshot['signIn']['status'] | null = null;

  constructor(
    private readonly electron: Pick<ElectronApis, 'BrowserWindow' | 'screen'>,
    private readonly options: WindowManagerOptions,
  ) {}

  get main(): BrowserWindowLike | null {
    return this.mainWindow;
  }

  get code(): BrowserWindowLike | null {
    return this.codeWindow;
  }

  /** The open windows, for pushing events. */
  open(): BrowserWindowLike[] {
    return [this.mainWindow, this.codeWindow].filter((each): each is BrowserWindowLike => each !== null && !each.isDestroyed());
  }

  /** IPC answers only these: the webContents of a window created here and still open. */
  isOwnWindow(webContentsId: number): boolean {
    return this.open().some((each) => each.webContents.id === webContentsId);
  }

  /** Opens or brings forward the main window; `view` switches it (else it keeps what it shows). */
  showMain(view?: AppView): BrowserWindowLike {
    const existing = this.mainWindow;
    if (existing && !existing.isDestroyed()) {
      if (view && view !== this.mainView) {
        this.mainView = view;
        this.load(existing, appUrl(view));
      }
      bringForward(existing);
      return existing;
    }
    this.mainView = view ?? 'status';
    const saved = this.options.bounds.windowBounds;
    const place = saved && fitsOnADisplay(saved, this.electron.screen.getAllDisplays()) ? saved : null;
    const window = this.create({ ...MAIN_SIZE, ...(place ?? {}), title: 'iCloud Photo Sync' });
    this.mainWindow = window;
    window.on('close', () => {
      if (!window.isDestroyed()) this.options.bounds.saveWindowBounds(window.getBounds());
    });
    window.on('closed', () => {
      if (this.mainWindow === window) this.mainWindow = null;
    });
    this.load(window, appUrl(this.mainView));
    return window;
  }

  /** The two-factor popup: small, on top, focused. */
  showCode(): BrowserWindowLike {
    const existing = this.codeWindow;
    if (existing && !existing.isDestroyed()) {
      bringForward(existing);
      return existing;
    }
    const window = this.create({ ...CODE_SIZE, title: 'Verification code – iCloud Photo Sync', resizable: false, minimizable: false, maximizable: false, alwaysOnTop: true });
    this.codeWindow = window;
    // A popup closed late (after a new one opened) must not forget the new one.
    window.on('closed', () => {
      if (this.codeWindow === window) this.codeWindow = null;
    });
    this.load(window, appUrl('code'));
    return window;
  }

  /** Opens the code popup when the service starts waiting for a code, and closes it when it stops. */
  follow(snapshot: AppSnapshot): void {
    const status = snapshot.signIn.status;
    const previous = this.lastSignInStatus;
    this.lastSignInStatus = status;
    if (status === 'needs-code' && previous !== 'needs-code') this.showCode();
    if (status !== 'needs-code' && this.codeWindow && !this.codeWindow.isDestroyed()) this.codeWindow.close();
  }

  /** Electron rejects loadURL with ERR_ABORTED when the window closes first; never leave that unhandled. */
  private load(window: BrowserWindowLike, url: string): void {
    window.loadURL(url).catch((error: unknown) => {
      if (!window.isDestroyed()) this.options.onLoadFailed?.(url, error);
    });
  }

  private create(options: Omit<BrowserWindowOptions, 'webPreferences' | 'show'>): BrowserWindowLike {
    const window = new this.electron.BrowserWindow({
      ...options,
      show: false,
      autoHideMenuBar: true,
      ...(this.options.iconPath ? { icon: this.options.iconPath } : {}),
      webPreferences: secureWebPreferences(this.options.preloadPath),
    });
    window.once('ready-to-show', () => bringForward(window));
    return window;
  }
}

function bringForward(window: BrowserWindowLike): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
