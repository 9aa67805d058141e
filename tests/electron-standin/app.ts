/**
 * `app` stand-in: not ready at first and ready on a later turn of the event loop (as Electron is
 * after the main script's first tick), the single-instance lock shared by every stand-in of one
 * `StandinDesktop` (so a test starts a "second launch"), and Electron's quit sequence
 * (before-quit and will-quit cancellable, windows closed in between, then quit).
 */
import { EventEmitter } from 'node:events';
import { preventable } from './preventable.js';

/** What several app instances on one desktop share: who holds the single-instance lock. */
export class StandinDesktop {
  lockHolder: StandinApp | null = null;
}

export interface LoginItemSettings { openAtLogin: boolean; path?: string; args?: string[] }

interface Closable { close(): void; isDestroyed(): boolean }

/** What the other stand-in pieces ask the app: Electron refuses many APIs before `ready`. */
export interface Readiness {
  isReady(): boolean;
  requireReady(message: string, ErrorType?: ErrorConstructor): void;
}

export class StandinApp extends EventEmitter {
  readonly isPackaged = false;
  appUserModelId: string | null = null;
  loginItem: LoginItemSettings = { openAtLogin: false };
  /** True once the quit sequence ran to its end (or exit() was called). */
  quitted = false;
  exitCode: number | null = null;
  private quitting = false;
  private readonly quitWaiters: Array<() => void> = [];
  private ready = false;
  private readonly readyNow: Promise<void>;

  constructor(private readonly desktop: StandinDesktop, private readonly windows: () => Closable[], private readonly version = '0.1.0') {
    super();
    // Electron finishes initialising only after the code that started it has run to its first await.
    this.readyNow = new Promise((resolve) => setImmediate(() => {
      this.ready = true;
      this.emit('ready', {}, {});
      resolve();
    }));
  }

  whenReady(): Promise<void> { return this.readyNow; }
  isReady(): boolean { return this.ready; }

  /** Throws Electron's own error when an API that needs `ready` is used before it. */
  requireReady(message: string, ErrorType: ErrorConstructor = Error): void {
    if (!this.ready) throw new ErrorType(message);
  }
  getVersion(): string { return this.version; }
  getName(): string { return 'iCloud Photo Sync'; }
  setAppUserModelId(id: string): void { this.appUserModelId = id; }
  setLoginItemSettings(settings: LoginItemSettings): void { this.loginItem = { ...settings }; }
  getLoginItemSettings(): LoginItemSettings { return { ...this.loginItem }; }

  requestSingleInstanceLock(): boolean {
    const holder = this.desktop.lockHolder;
    if (holder && holder !== this && !holder.quitted) {
      holder.emit('second-instance', { preventDefault: () => undefined }, [], '');
      return false;
    }
    this.desktop.lockHolder = this;
    return true;
  }

  hasSingleInstanceLock(): boolean { return this.desktop.lockHolder === this; }

  quit(): void {
    if (this.quitted || this.quitting) return;
    const beforeQuit = preventable();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.quitting = true;
    for (const window of this.windows()) window.close();
    // A window that refused to close cancels the quit, as in Electron.
    if (this.windows().some((window) => !window.isDestroyed())) {
      this.quitting = false;
      return;
    }
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.finish(0);
  }

  exit(code = 0): void {
    if (this.quitted) return;
    for (const window of this.windows()) (window as Closable & { destroy?: () => void }).destroy?.();
    this.finish(code);
  }

  /** Resolves when the app has quit. */
  whenQuit(): Promise<void> {
    return this.quitted ? Promise.resolve() : new Promise((resolve) => this.quitWaiters.push(resolve));
  }

  /** Electron quits when the last window closes unless someone listens to window-all-closed. */
  lastWindowClosed(): void {
    if (this.quitting || this.quitted) return;
    if (this.listenerCount('window-all-closed') > 0) this.emit('window-all-closed');
    else this.quit();
  }

  private finish(code: number): void {
    this.quitted = true;
    this.exitCode = code;
    if (this.desktop.lockHolder === this) this.desktop.lockHolder = null;
    this.emit('quit', {}, code);
    for (const resolve of this.quitWaiters.splice(0)) resolve();
  }
}
