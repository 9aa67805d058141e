/**
 * Electron's security checklist for every window: sandboxed, isolated renderers without Node; no
 * navigation away from the app, no new windows, no webviews, every permission refused; links open
 * in the browser only for https addresses on a short allowlist.
 */
import type { BrowserWindowOptions, ElectronApis } from './electron-apis.js';

/** Sites the app's messages point people to (Apple's account pages, the project's own page). */
export const EXTERNAL_HOSTS: readonly string[] = ['iforgot.apple.com', 'www.icloud.com', 'appleid.apple.com', 'support.apple.com', 'account.apple.com', 'github.com'];

export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && hosts.includes(parsed.hostname);
  } catch {
    return false;
  }
}

export function secureWebPreferences(preloadPath: string): BrowserWindowOptions['webPreferences'] {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    allowRunningInsecureContent: false,
    spellcheck: false,
  };
}

/** Installs the guards once, before any window exists; they apply to every web contents created later. */
export function applySecurity(electron: Pick<ElectronApis, 'app' | 'session' | 'shell'>, hosts: readonly string[] = EXTERNAL_HOSTS): void {
  const openOutside = (url: string): void => {
    if (isAllowedExternal(url, hosts)) void electron.shell.openExternal(url);
  };
  electron.app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
    // Loads from the main process (loadURL) do not pass here; only the page's own attempts do.
    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      openOutside(url);
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  electron.session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  electron.session.defaultSession.setPermissionCheckHandler(() => false);
}
