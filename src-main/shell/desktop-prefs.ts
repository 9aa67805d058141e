/**
 * The tray app's own preferences (window place, launch at login, local web page kept on, first run
 * done) in desktop.json in
 * the data folder, with electron-store: a schema checked on every read and write, and migrations
 * keyed by the app version that changes the file's shape. Sync settings are never here: they live
 * in the service's config.json, shared with the CLI.
 */
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import ElectronStore from 'electron-store';
import type { Rectangle } from './electron-apis.js';
import { TRAY_PANEL_CHOICES, type TrayPanelChoice } from './tray-variant.js';
import type { WindowBoundsStore } from './window-manager.js';

export const DESKTOP_PREFS_FILE = 'desktop.json';

interface PrefsShape extends Record<string, unknown> {
  windowBounds: Rectangle | null;
  launchAtLogin: boolean;
  webPageAlwaysOn: boolean;
  firstRunDone: boolean;
  trayPanel: TrayPanelChoice;
}

const integer = { type: 'integer' } as const;

const SCHEMA = {
  windowBounds: {
    type: ['object', 'null'],
    properties: { x: integer, y: integer, width: { type: 'integer', minimum: 1 }, height: { type: 'integer', minimum: 1 } },
    required: ['x', 'y', 'width', 'height'],
    additionalProperties: false,
    default: null,
  },
  launchAtLogin: { type: 'boolean', default: false },
  // The tray app's `daemon --web`: the local page served all the time, not only while a code is needed.
  webPageAlwaysOn: { type: 'boolean', default: false },
  firstRunDone: { type: 'boolean', default: false },
  // The tray icon set: "auto" (Windows' dark mode; a dark panel elsewhere), or "dark"/"light" panels.
  trayPanel: { enum: [...TRAY_PANEL_CHOICES], default: 'auto' },
} as const;

/**
 * One entry per app version that changes the file's shape, e.g. `'0.2.0': (store) => …`; electron-store
 * runs those between the version that last wrote the file and this one. None yet: 0.1.0 is the first shape.
 */
export const DESKTOP_PREFS_MIGRATIONS: Record<string, (store: Pick<ElectronStore<PrefsShape>, 'get' | 'set' | 'has' | 'delete'>) => void> = {};

export class DesktopPrefs implements WindowBoundsStore {
  private readonly store: ElectronStore<PrefsShape>;

  constructor(dataDir: string, appVersion: string, migrations = DESKTOP_PREFS_MIGRATIONS) {
    // The cast adds projectVersion, which electron-store's type leaves out (it reads Electron's app instead).
    const options = {
      cwd: path.resolve(dataDir),
      name: path.basename(DESKTOP_PREFS_FILE, '.json'),
      schema: SCHEMA,
      migrations,
      // electron-store takes the version from Electron's app; passed here so it also works under plain Node.
      projectVersion: appVersion,
      configFileMode: 0o600,
    } as unknown as ConstructorParameters<typeof ElectronStore<PrefsShape>>[0];
    try {
      this.store = new ElectronStore<PrefsShape>(options);
    } catch {
      // Edited by hand into something the schema refuses: kept aside, and the app starts with defaults.
      const file = path.join(path.resolve(dataDir), DESKTOP_PREFS_FILE);
      if (existsSync(file)) renameSync(file, `${file}.invalid-${Date.now()}`);
      this.store = new ElectronStore<PrefsShape>(options);
    }
  }

  get file(): string {
    return this.store.path;
  }

  get windowBounds(): Rectangle | null {
    return this.store.get('windowBounds');
  }

  saveWindowBounds(bounds: Rectangle): void {
    const round = (value: number) => Math.round(value);
    this.store.set('windowBounds', { x: round(bounds.x), y: round(bounds.y), width: round(bounds.width), height: round(bounds.height) });
  }

  get launchAtLogin(): boolean {
    return this.store.get('launchAtLogin');
  }

  set launchAtLogin(enabled: boolean) {
    this.store.set('launchAtLogin', enabled);
  }

  get webPageAlwaysOn(): boolean {
    return this.store.get('webPageAlwaysOn');
  }

  set webPageAlwaysOn(on: boolean) {
    this.store.set('webPageAlwaysOn', on);
  }

  get firstRunDone(): boolean {
    return this.store.get('firstRunDone');
  }

  set firstRunDone(done: boolean) {
    this.store.set('firstRunDone', done);
  }

  /** Set by hand in desktop.json for a light Linux panel (no Settings control yet). */
  get trayPanel(): TrayPanelChoice {
    return this.store.get('trayPanel');
  }
}
