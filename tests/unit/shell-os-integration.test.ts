import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DesktopPrefs } from '../../src-main/shell/desktop-prefs.js';
import { desktopNotifier } from '../../src-main/shell/desktop-notifier.js';
import type { ElectronApis, LoginItemSettingsInput, NotificationOptions, StorageBackend } from '../../src-main/shell/electron-apis.js';
import { applyLaunchAtLogin, autostartEntry, autostartFile, type LaunchAtLoginHost } from '../../src-main/shell/launch-at-login.js';
import { NO_KEYRING_REASON, PASSWORD_FILE, SafeStoragePassword } from '../../src-main/shell/safe-storage-password.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shell-os-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** safeStorage with a keyring: a reversible scramble, so the file never holds the password in clear. */
function safeStorage(backend: StorageBackend): ElectronApis['safeStorage'] {
  const scramble = (bytes: Buffer) => Buffer.from(bytes.map((byte) => byte ^ 0x5a));
  return {
    getSelectedStorageBackend: () => backend,
    isAsyncEncryptionAvailable: () => Promise.resolve(true),
    encryptStringAsync: (text) => Promise.resolve(Buffer.concat([Buffer.from('v11'), scramble(Buffer.from(text))])),
    decryptStringAsync: (bytes) => Promise.resolve({ result: scramble(bytes.subarray(3)).toString(), shouldReEncrypt: false }),
  };
}

describe('safeStorage password', () => {
  it('stores the password encrypted (never in clear), reads it back and forgets it', async () => {
    const dir = tempDir();
    const source = new SafeStoragePassword(safeStorage('gnome_libsecret'), dir, 'linux');
    await expect(source.storage()).resolves.toEqual({ available: true, reason: null });
    await expect(source.read()).resolves.toBeUndefined();
    await source.remember('correct horse');
    const file = path.join(dir, PASSWORD_FILE);
    expect(readFileSync(file, 'utf8')).not.toContain('correct horse');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    await expect(new SafeStoragePassword(safeStorage('gnome_libsecret'), dir, 'linux').read()).resolves.toBe('correct horse');
    await source.forget();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses to store on Linux without a keyring (basic_text) and says why', async () => {
    const dir = tempDir();
    const source = new SafeStoragePassword(safeStorage('basic_text'), dir, 'linux');
    await expect(source.storage()).resolves.toEqual({ available: false, reason: NO_KEYRING_REASON });
    expect(NO_KEYRING_REASON).toMatch(/no keyring.*not stored.*asks for it/);
    await source.remember('correct horse');
    expect(existsSync(path.join(dir, PASSWORD_FILE))).toBe(false);
    await expect(source.read()).resolves.toBeUndefined();
  });
});

describe('desktop preferences (electron-store)', () => {
  it('keeps bounds, launch at login and first run in desktop.json of the data folder, never config.json', () => {
    const dir = tempDir();
    const prefs = new DesktopPrefs(dir, '0.1.0');
    expect(prefs.file).toBe(path.join(dir, 'desktop.json'));
    expect([prefs.windowBounds, prefs.launchAtLogin, prefs.firstRunDone]).toEqual([null, false, false]);
    prefs.saveWindowBounds({ x: 10.4, y: 20, width: 700, height: 500 });
    prefs.launchAtLogin = true;
    prefs.firstRunDone = true;
    const again = new DesktopPrefs(dir, '0.1.0');
    expect([again.windowBounds, again.launchAtLogin, again.firstRunDone]).toEqual([{ x: 10, y: 20, width: 700, height: 500 }, true, true]);
    expect(existsSync(path.join(dir, 'config.json'))).toBe(false);
  });

  it('refuses values outside the schema, sets a file the schema refuses aside, and runs migrations by version', () => {
    const dir = tempDir();
    const prefs = new DesktopPrefs(dir, '0.1.0');
    expect(() => prefs.saveWindowBounds({ x: 0, y: 0, width: 0, height: 10 })).toThrow();
    writeFileSync(path.join(dir, 'desktop.json'), JSON.stringify({ launchAtLogin: 'yes' }));
    expect(new DesktopPrefs(dir, '0.1.0').launchAtLogin).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('desktop.json.invalid-'))).toHaveLength(1);
    const migrated = new DesktopPrefs(dir, '0.2.0', { '0.2.0': (store) => store.set('firstRunDone', true) });
    expect(migrated.firstRunDone).toBe(true);
  });
});

describe('launch at login', () => {
  function host(overrides: Partial<LaunchAtLoginHost> = {}): LaunchAtLoginHost & { calls: LoginItemSettingsInput[] } {
    const calls: LoginItemSettingsInput[] = [];
    return { platform: 'linux', env: {}, homeDir: tempDir(), execPath: '/opt/iCloud Photo Sync/icloud-photo-sync', appArgs: [], app: { setLoginItemSettings: (settings) => calls.push(settings) }, calls, ...overrides };
  }

  it('writes an XDG autostart entry (respecting XDG_CONFIG_HOME) pointing at $APPIMAGE, rewritten each time, removed when off', () => {
    const configHome = tempDir();
    const linux = host({ env: { XDG_CONFIG_HOME: configHome, APPIMAGE: '/home/me/Apps/icloud-photo-sync-0.1.0.AppImage' } });
    const file = autostartFile(linux.env, linux.homeDir);
    expect(file).toBe(path.join(configHome, 'autostart', 'icloud-photo-sync.desktop'));
    applyLaunchAtLogin(true, linux);
    expect(readFileSync(file, 'utf8')).toContain('Exec=/home/me/Apps/icloud-photo-sync-0.1.0.AppImage --background\n');
    applyLaunchAtLogin(true, { ...linux, env: { ...linux.env, APPIMAGE: '/home/me/Apps/icloud-photo-sync-0.2.0.AppImage' } });
    expect(readFileSync(file, 'utf8')).toContain('Exec=/home/me/Apps/icloud-photo-sync-0.2.0.AppImage --background\n');
    applyLaunchAtLogin(false, linux);
    expect(existsSync(file)).toBe(false);
    expect(linux.calls).toEqual([]);
  });

  it('uses ~/.config without XDG_CONFIG_HOME and quotes a path with spaces as the Desktop Entry spec says', () => {
    const linux = host();
    applyLaunchAtLogin(true, linux);
    const entry = readFileSync(path.join(linux.homeDir, '.config', 'autostart', 'icloud-photo-sync.desktop'), 'utf8');
    expect(entry).toContain('Exec="/opt/iCloud Photo Sync/icloud-photo-sync" --background\n');
    expect(autostartEntry(['/a/$x "y"/100%'])).toContain('Exec="/a/\\$x \\"y\\"/100%%"\n');
  });

  it('uses the login item on Windows', () => {
    const windows = host({ platform: 'win32', execPath: 'C:\\Apps\\iCloud Photo Sync.exe' });
    applyLaunchAtLogin(true, windows);
    applyLaunchAtLogin(false, windows);
    expect(windows.calls).toEqual([
      { openAtLogin: true, path: 'C:\\Apps\\iCloud Photo Sync.exe', args: ['--background'] },
      { openAtLogin: false, path: 'C:\\Apps\\iCloud Photo Sync.exe', args: ['--background'] },
    ]);
  });
});

describe('desktop notifications', () => {
  it('shows a native notification per nudge, critical when urgent, and a click opens the right window', () => {
    const shown: Array<NotificationOptions & { click?: () => void }> = [];
    class Notification {
      static isSupported = () => true;
      private readonly record: NotificationOptions & { click?: () => void };
      constructor(options: NotificationOptions) { this.record = { ...options }; }
      on(_event: 'click', listener: () => void) { this.record.click = listener; }
      show() { shown.push(this.record); }
    }
    let opened = 0;
    const notifier = desktopNotifier({ Notification }, () => (opened += 1));
    notifier.show({ title: 'Verification code needed', message: 'Enter the code.', urgent: true, url: null });
    notifier.show({ title: 'Sync stopped', message: 'The folder is gone.', urgent: false, url: 'http://127.0.0.1/link/x' });
    expect(shown.map(({ title, body, urgency }) => ({ title, body, urgency }))).toEqual([
      { title: 'Verification code needed', body: 'Enter the code.', urgency: 'critical' },
      { title: 'Sync stopped', body: 'The folder is gone.', urgency: 'normal' },
    ]);
    shown[0]?.click?.();
    expect(opened).toBe(1);
  });
});
