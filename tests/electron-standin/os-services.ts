/**
 * The OS-facing services the shell uses, recorded or answered as the test says: `safeStorage`
 * (a keyring, or Linux's `basic_text` when there is none), `powerMonitor` (the test fires
 * suspend/resume), `nativeTheme` (the test switches dark mode), `dialog.showOpenDialog`, `shell.openPath`/`openExternal`, `screen`, `session`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type { Readiness } from './app.js';
import { preventable } from './preventable.js';
import { SESSION_BEFORE_READY } from './app-origin.js';

export type StorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

const SAFE_STORAGE_BEFORE_READY = 'safeStorage cannot be used before app is ready';

/**
 * Real encryption with a key held by the "keyring" (this object): what is stored is ciphertext. With
 * `basic_text` Electron still "encrypts" with a hard-coded key; the shell must not rely on it, and
 * encryption reports available (as Electron does), so only the backend name tells them apart.
 */
export class StandinSafeStorage {
  private readonly key = randomBytes(32);
  constructor(public backend: StorageBackend, private readonly app: Readiness) {}

  async isAsyncEncryptionAvailable(): Promise<boolean> { return this.app.isReady(); }
  isEncryptionAvailable(): boolean { return this.app.isReady(); }
  /** Electron answers `unknown` before `ready`. */
  getSelectedStorageBackend(): StorageBackend { return this.app.isReady() ? this.backend : 'unknown'; }

  async encryptStringAsync(plainText: string): Promise<Buffer> { return this.encryptString(plainText); }
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    return { result: this.decryptString(encrypted), shouldReEncrypt: false };
  }

  encryptString(plainText: string): Buffer {
    this.app.requireReady(SAFE_STORAGE_BEFORE_READY);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body]);
  }

  decryptString(encrypted: Buffer): string {
    this.app.requireReady(SAFE_STORAGE_BEFORE_READY);
    if (encrypted.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(3, 15));
    decipher.setAuthTag(encrypted.subarray(15, 31));
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
  }
}

/** `powerMonitor`: the test calls `sleepAndWake()`, `shutdown()` or emits events itself. */
export class StandinPowerMonitor extends EventEmitter {
  sleepAndWake(): void {
    this.emit('suspend');
    this.emit('resume');
  }

  /**
   * The system is about to shut down (Linux, macOS). Answers whether a listener prevented it, which
   * in Electron holds logind's delay lock until the app exits.
   */
  shutdown(): boolean {
    const event = preventable();
    this.emit('shutdown', event);
    return event.defaultPrevented;
  }
}

/** `nativeTheme`: the test switches the system's dark mode with `setDark`, which emits `updated`. */
export class StandinNativeTheme extends EventEmitter {
  shouldUseDarkColors = false;
  setDark(dark: boolean): void {
    this.shouldUseDarkColors = dark;
    this.emit('updated');
  }
}

export interface OpenDialogOptions { title?: string; defaultPath?: string; properties?: string[] }

/** `dialog`: answers `showOpenDialog` with what the test queued (cancelled when nothing is queued). */
export class StandinDialog {
  readonly asked: OpenDialogOptions[] = [];
  private readonly answers: Array<string | null> = [];
  constructor(private readonly app: Readiness) {}

  /** The next folder the user picks; null: the user cancels. */
  willAnswer(path: string | null): void { this.answers.push(path); }

  /** Both of Electron's forms: (options) and (parentWindow, options). */
  async showOpenDialog(first: unknown, second?: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.app.requireReady('dialog module can only be used after app is ready');
    this.asked.push(second ?? (first as OpenDialogOptions));
    const answer = this.answers.shift() ?? null;
    return answer === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [answer] };
  }
}

/** `shell`: records what the app asked the desktop to open; nothing is opened. */
export class StandinShell {
  readonly openedPaths: string[] = [];
  readonly openedExternal: string[] = [];

  async openPath(path: string): Promise<string> {
    this.openedPaths.push(path);
    // Electron answers with an error message when the desktop cannot open the path.
    return existsSync(path) ? '' : `Failed to open path`;
  }

  async openExternal(url: string): Promise<void> { this.openedExternal.push(url); }
}

export interface Display { id: number; bounds: Rect; workArea: Rect; scaleFactor: number }
interface Rect { x: number; y: number; width: number; height: number }

const SCREEN_BEFORE_READY = "The 'screen' module can't be used before the app 'ready' event";

export class StandinScreen {
  constructor(private readonly app: Readiness, public displays: Display[] = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1 }]) {}
  getAllDisplays(): Display[] {
    this.app.requireReady(SCREEN_BEFORE_READY);
    return this.displays;
  }
  getPrimaryDisplay(): Display {
    this.app.requireReady(SCREEN_BEFORE_READY);
    const [primary] = this.displays;
    if (!primary) throw new Error('no display');
    return primary;
  }
}

type PermissionHandler = (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type PermissionCheck = (webContents: unknown, permission: string) => boolean;

/** `session`: its `defaultSession` exists only once the app is ready (Electron throws before). */
export class StandinSessionModule {
  private readonly session = new StandinSession();
  constructor(private readonly app: Readiness) {}
  get defaultSession(): StandinSession {
    this.app.requireReady(SESSION_BEFORE_READY, TypeError);
    return this.session;
  }
}

/** `session.defaultSession`: records the permission handlers so a test can ask them. */
export class StandinSession {
  permissionRequestHandler: PermissionHandler | null = null;
  permissionCheckHandler: PermissionCheck | null = null;
  setPermissionRequestHandler(handler: PermissionHandler | null): void { this.permissionRequestHandler = handler; }
  setPermissionCheckHandler(handler: PermissionCheck | null): void { this.permissionCheckHandler = handler; }

  /** What the shell answers when a page asks for `permission`. */
  ask(permission: string): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    // Electron grants every permission when no handler is set.
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler({}, permission, resolve));
  }
}
