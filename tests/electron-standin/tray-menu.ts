/**
 * `Tray` and `Menu` recorded: a test reads the tray's current icon (a file path, as the shell gives
 * it), tooltip and menu (as the shell last set them), clicks a menu item by its labels or id, and
 * clicks the icon.
 */
import { EventEmitter } from 'node:events';
import type { Readiness } from './app.js';

export interface MenuItemTemplate {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled?: boolean;
  visible?: boolean;
  checked?: boolean;
  click?: (...args: unknown[]) => void;
  submenu?: MenuItemTemplate[];
}

/** A built menu: the template as the shell gave it (a copy of the items, the click functions kept). */
export class StandinMenu {
  constructor(readonly items: MenuItemTemplate[]) {}

  static buildFromTemplate(template: MenuItemTemplate[]): StandinMenu {
    return new StandinMenu(template.map((item) => ({ ...item, submenu: item.submenu?.map((sub) => ({ ...sub })) })));
  }

  /** The visible labels, one line per item; submenu items indented, separators as '---'. */
  outline(): string[] {
    const lines: string[] = [];
    const walk = (items: MenuItemTemplate[], indent: string) => {
      for (const item of items) {
        if (item.visible === false) continue;
        if (item.type === 'separator') lines.push(`${indent}---`);
        else lines.push(`${indent}${item.label ?? ''}${item.enabled === false ? ' (disabled)' : ''}`);
        if (item.submenu) walk(item.submenu, `${indent}  `);
      }
    };
    walk(this.items, '');
    return lines;
  }

  /** The item with this id, at any depth. */
  byId(id: string): MenuItemTemplate | undefined {
    const walk = (items: MenuItemTemplate[]): MenuItemTemplate | undefined => {
      for (const item of items) {
        const found = item.id === id ? item : item.submenu && walk(item.submenu);
        if (found) return found;
      }
      return undefined;
    };
    return walk(this.items);
  }

  /** The item at a label path, e.g. find('Pause', '30 minutes'). */
  find(...labels: string[]): MenuItemTemplate | undefined {
    let items = this.items;
    let found: MenuItemTemplate | undefined;
    for (const label of labels) {
      found = items.find((item) => item.label === label && item.visible !== false);
      if (!found) return undefined;
      items = found.submenu ?? [];
    }
    return found;
  }

  /** Clicks the item at a label path as a user would: only a visible, enabled item with a click. */
  click(...labels: string[]): void {
    const item = this.find(...labels);
    if (!item) throw new Error(`no menu item ${labels.join(' ▸ ')}; the menu is:\n${this.outline().join('\n')}`);
    if (item.enabled === false) throw new Error(`menu item ${labels.join(' ▸ ')} is disabled`);
    if (!item.click) throw new Error(`menu item ${labels.join(' ▸ ')} does nothing when clicked`);
    item.click();
  }
}

export class StandinTray extends EventEmitter {
  image: string;
  toolTip = '';
  menu: StandinMenu | null = null;
  /** How many times the shell set the menu (Linux needs it set again on every change). */
  menuSets = 0;
  destroyed = false;

  constructor(image: string) {
    super();
    this.image = image;
  }

  setImage(image: string): void { this.image = image; }
  setToolTip(toolTip: string): void { this.toolTip = toolTip; }
  /** Takes what Menu.buildFromTemplate built (typed as Electron's Menu by the shell). */
  setContextMenu(menu: object | null): void {
    if (menu !== null && !(menu instanceof StandinMenu)) throw new Error('setContextMenu: not a menu from Menu.buildFromTemplate');
    this.menu = menu;
    this.menuSets += 1;
  }
  destroy(): void { this.destroyed = true; }
  isDestroyed(): boolean { return this.destroyed; }

  /** A left click on the icon (or activation on Linux). */
  click(): void { this.emit('click', { preventDefault: () => undefined }, { x: 0, y: 0, width: 0, height: 0 }); }
}

/** A `Tray` class bound to one stand-in's list of trays. */
export function trayClass(trays: StandinTray[], app: Readiness) {
  return class Tray extends StandinTray {
    constructor(image: string) {
      app.requireReady('Cannot create Tray before app is ready');
      super(image);
      trays.push(this);
    }
  };
}
