/**
 * A picture of the tray as the shell last set it: the icon (the real PNG the shell chose), the
 * tooltip, and the menu with one submenu opened, drawn as HTML and screenshotted in Chromium. It is
 * the menu *model* (labels, separators, disabled items), not any desktop's native rendering.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { MenuItemTemplate, StandinTray } from './tray-menu.js';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function itemsHtml(items: MenuItemTemplate[], open: string | undefined): string {
  return items
    .filter((item) => item.visible !== false)
    .map((item) => {
      if (item.type === 'separator') return '<li class="sep" role="separator"></li>';
      const classes = [item.enabled === false ? 'disabled' : '', item.submenu ? 'has-sub' : ''].join(' ');
      const sub = item.submenu && item.label === open ? `<ul class="menu sub">${itemsHtml(item.submenu, undefined)}</ul>` : '';
      return `<li class="${classes}">${escape(item.label ?? '')}${item.submenu ? '<span class="arrow">▸</span>' : ''}${sub}</li>`;
    })
    .join('');
}

export function trayPictureHtml(tray: StandinTray, options: { openSubmenu?: string; dark?: boolean } = {}): string {
  // The 32 px icon for the picture, whatever size the shell picked for the panel.
  const iconPath = tray.image.replace(/-(16|24)\.png$/, '-32.png');
  const icon = `data:image/png;base64,${readFileSync(iconPath).toString('base64')}`;
  const dark = options.dark ?? false;
  return `<!doctype html><html><head><style>
    body { margin: 0; font: 14px system-ui, sans-serif; background: ${dark ? '#1e1e1e' : '#e9e9ec'}; color: ${dark ? '#eee' : '#222'}; }
    .panel { display: flex; justify-content: flex-end; align-items: center; gap: 12px; height: 36px; padding: 0 12px; background: ${dark ? '#000' : '#2b2b30'}; }
    .panel img { width: 24px; height: 24px; }
    .tip { position: absolute; right: 12px; top: 44px; background: ${dark ? '#333' : '#fffbe6'}; border: 1px solid #999; padding: 4px 8px; border-radius: 4px; max-width: 560px; }
    .menu { list-style: none; margin: 0; padding: 4px 0; background: ${dark ? '#2d2d2d' : '#fff'}; border: 1px solid ${dark ? '#555' : '#bbb'}; border-radius: 6px; box-shadow: 0 4px 14px rgba(0,0,0,.25); min-width: 240px; }
    .root { position: absolute; right: 12px; top: 84px; }
    .menu li { position: relative; padding: 6px 28px 6px 16px; white-space: nowrap; }
    .menu li.disabled { color: ${dark ? '#777' : '#999'}; }
    .menu li.sep { padding: 0; margin: 4px 0; border-top: 1px solid ${dark ? '#555' : '#ddd'}; }
    .arrow { position: absolute; right: 10px; }
    .sub { position: absolute; right: 100%; top: -4px; margin-right: 4px; }
  </style></head><body style="width: 720px; height: ${140 + 34 * countVisible(tray)}px">
    <div class="panel" aria-label="Panel"><img alt="tray icon" src="${icon}"></div>
    <div class="tip" role="tooltip">${escape(tray.toolTip)}</div>
    <ul class="menu root" role="menu">${itemsHtml(tray.menu?.items ?? [], options.openSubmenu)}</ul>
  </body></html>`;
}

function countVisible(tray: StandinTray): number {
  return (tray.menu?.items ?? []).filter((item) => item.visible !== false).length;
}

/** Screenshots the tray picture to `file`. */
export async function shootTray(browser: Browser, tray: StandinTray, file: string, options: { openSubmenu?: string; dark?: boolean } = {}): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 720, height: 600 } });
  try {
    await page.setContent(trayPictureHtml(tray, options));
    await page.locator('body').screenshot({ path: file });
  } finally {
    await page.close();
  }
}
