/**
 * Puts the tray model on the native tray: the image, the tooltip and a freshly built context menu on
 * every state change (Linux's AppIndicator only picks up a menu given again with setContextMenu).
 * A left click opens the status window, but nothing depends on it: some Linux desktops never send
 * clicks, so "Open iCloud Photo Sync" is the menu's first item.
 */
import path from 'node:path';
import type { PauseChoice } from '../../src-shared/commands.js';
import type { AppSnapshot } from '../../src-shared/snapshot.js';
import type { ElectronApis, MenuTemplateItem, TrayLike } from './electron-apis.js';
import { trayModel, type TrayIcon, type TrayMenuId, type TrayMenuItem, type TrayModel } from './tray-model.js';

export interface TrayActions {
  open(): void;
  openSettings(): void;
  enterCode(): void;
  syncNow(): void;
  pause(choice: PauseChoice): void;
  resume(): void;
  openFolder(): void;
  quit(): void;
}

/** `light` is for light panels (dark glyphs), `dark` for dark panels (white glyphs). */
export type TrayVariant = 'light' | 'dark';

export interface TrayControllerOptions {
  /** build/tray: the files `npm run icons -- --tray build/tray-states.json --out build/tray` writes. */
  iconDir: string;
  platform: NodeJS.Platform;
  /** The icon set at start (tray-variant.ts chooses it); `dark` when not given. */
  variant?: TrayVariant;
  now: () => number;
  actions: TrayActions;
}

/** Windows picks the size it needs from an ICO; Linux panels scale the 32 px PNG down (sharp on HiDPI). */
export function trayIconPath(iconDir: string, icon: TrayIcon, platform: NodeJS.Platform, variant: TrayVariant): string {
  return path.join(iconDir, platform === 'win32' ? `${icon}-${variant}.ico` : `${icon}-${variant}-32.png`);
}

export class TrayController {
  private readonly tray: TrayLike;
  private current: TrayModel | null = null;
  private variant: TrayVariant;

  constructor(
    private readonly electron: Pick<ElectronApis, 'Tray' | 'Menu'>,
    private readonly options: TrayControllerOptions,
    snapshot: AppSnapshot,
  ) {
    this.variant = options.variant ?? 'dark';
    this.tray = new electron.Tray(this.iconPath(snapshot.state));
    this.tray.on('click', () => options.actions.open());
    this.update(snapshot);
  }

  /** The model last put on the tray (tests and screenshots read it). */
  get model(): TrayModel | null {
    return this.current;
  }

  update(snapshot: AppSnapshot): void {
    const model = trayModel(snapshot, this.options.now());
    this.current = model;
    this.tray.setImage(this.iconPath(model.icon));
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(this.electron.Menu.buildFromTemplate(model.menu.map((item) => this.template(item))));
  }

  /**
   * Progress and the passing of time change only the tooltip: the menu is not rebuilt, since setting
   * it again while it is open closes it on some desktops.
   */
  refreshTooltip(snapshot: AppSnapshot): void {
    const model = trayModel(snapshot, this.options.now());
    if (this.current && model.icon !== this.current.icon) return this.update(snapshot);
    this.current = this.current ? { ...this.current, tooltip: model.tooltip } : model;
    this.tray.setToolTip(model.tooltip);
  }

  /** The panel's colour changed (Windows' dark mode switched): the same icon from the other set. */
  setVariant(variant: TrayVariant): void {
    if (variant === this.variant) return;
    this.variant = variant;
    if (this.current) this.tray.setImage(this.iconPath(this.current.icon));
  }

  destroy(): void {
    this.tray.destroy();
  }

  private iconPath(icon: TrayIcon): string {
    return trayIconPath(this.options.iconDir, icon, this.options.platform, this.variant);
  }

  private template(item: TrayMenuItem): MenuTemplateItem {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.submenu) return { id: item.id, label: item.label, enabled: item.enabled, type: 'submenu', submenu: item.submenu.map((each) => this.template(each)) };
    return { id: item.id, label: item.label, enabled: item.enabled, click: () => this.choose(item.id) };
  }

  private choose(id: TrayMenuId): void {
    const actions = this.options.actions;
    switch (id) {
      case 'open':
        return actions.open();
      case 'settings':
        return actions.openSettings();
      case 'enter-code':
        return actions.enterCode();
      case 'sync-now':
        return actions.syncNow();
      case 'pause':
        return;
      case 'pause-30m':
        return actions.pause('30m');
      case 'pause-1h':
        return actions.pause('1h');
      case 'pause-tomorrow':
        return actions.pause('tomorrow');
      case 'pause-until-resumed':
        return actions.pause('until-resumed');
      case 'resume':
        return actions.resume();
      case 'open-folder':
        return actions.openFolder();
      case 'quit':
        return actions.quit();
    }
  }
}
