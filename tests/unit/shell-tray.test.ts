import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTrayIcons, TRAY_ICON_SIZES, type TrayIconState } from '../../build/icons.js';
import { APP_STATES, INITIAL_SNAPSHOT, type AppSnapshot } from '../../src-shared/contract.js';
import type { MenuTemplateItem } from '../../src-main/shell/electron-apis.js';
import { TrayController, trayIconPath, type TrayActions } from '../../src-main/shell/tray-controller.js';
import { TOOLTIP_MAX, trayModel, type TrayMenuItem } from '../../src-main/shell/tray-model.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const BUILD = path.resolve(import.meta.dirname, '../../build');
const configured: AppSnapshot = { ...INITIAL_SNAPSHOT, state: 'up-to-date', appleId: 'me@example.com', syncFolder: '/photos', message: 'Your photos are up to date.' };

function ids(menu: TrayMenuItem[]): string[] {
  return menu.flatMap((item) => (item.type === 'separator' ? ['-'] : [item.id, ...(item.submenu ? ids(item.submenu) : [])]));
}

describe('tray model', () => {
  it('shows syncing progress and the next run in a one-line tooltip', () => {
    const syncing: AppSnapshot = {
      ...configured, state: 'syncing',
      progress: { phase: 'transferring', filesDone: 120, filesTotal: 500, bytesDone: 400, bytesTotal: 1000, bytesPerSecond: 10, etaSeconds: 60 },
    };
    expect(trayModel(syncing, NOW).tooltip).toBe('iCloud Photo Sync: Syncing · 120 of 500 files (40%)');
    expect(trayModel(syncing, NOW).icon).toBe('syncing');
    const idle = { ...configured, nextRunAt: new Date(NOW + 3 * 3600_000).toISOString() };
    expect(trayModel(idle, NOW).tooltip).toBe('iCloud Photo Sync: Up to date · next sync in 3 h');
  });

  it('names the archive stage after a sync, with its progress, instead of "Syncing"', () => {
    // As the service reports it: the sync's own progress is gone, the run (state syncing) goes on with the archive.
    const archiving: AppSnapshot = {
      ...configured, state: 'syncing', progress: null, message: 'Archiving to Azure · 2 of 8 files',
      archive: { enabled: true, running: true, progress: { filesDone: 2, filesTotal: 8, bytesDone: 300, bytesTotal: 1000 }, lastRun: null },
    };
    const model = trayModel(archiving, NOW);
    expect(model.tooltip).toBe('iCloud Photo Sync: Archiving to Azure · 2 of 8 files (30%)');
    expect(model.icon).toBe('syncing');
    expect(model.menu).toContainEqual(expect.objectContaining({ id: 'sync-now', label: 'Archiving…', enabled: false }));
    const planning = { ...archiving, archive: { ...archiving.archive, progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 } } };
    expect(trayModel(planning, NOW).tooltip).toBe('iCloud Photo Sync: Archiving to Azure · checking what is new');
  });

  it('keeps trust ending soon a tooltip line, not "needs you", and never exceeds 127 characters on one line', () => {
    const ending = { ...configured, trustEndingSoon: true, trustEndsAt: new Date(NOW + 3 * 86_400_000).toISOString() };
    const model = trayModel(ending, NOW);
    expect(model.icon).toBe('up-to-date');
    expect(model.tooltip).toContain('Apple sign-in ends in 3 days');
    const long = { ...configured, state: 'error' as const, trustEndingSoon: true, message: `The folder is gone.\n${'x'.repeat(300)}` };
    const tooltip = trayModel(long, NOW).tooltip;
    expect(tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
    expect(tooltip).not.toContain('\n');
    expect(tooltip.endsWith('…')).toBe(true);
  });

  it('offers the code item only while a code is needed, and Resume only while paused', () => {
    expect(ids(trayModel(configured, NOW).menu)).toEqual([
      'open', '-', 'sync-now', 'pause', 'pause-30m', 'pause-1h', 'pause-tomorrow', 'pause-until-resumed', 'open-folder', '-', 'settings', 'quit',
    ]);
    const code: AppSnapshot = { ...configured, state: 'needs-you', signIn: { ...configured.signIn, status: 'needs-code' } };
    const codeMenu = trayModel(code, NOW).menu;
    expect(ids(codeMenu)).toContain('enter-code');
    expect(trayModel(code, NOW).tooltip).toBe('iCloud Photo Sync: Needs you · enter the verification code');
    const paused: AppSnapshot = { ...configured, state: 'paused', pause: { until: null } };
    expect(ids(trayModel(paused, NOW).menu)).toEqual(['open', '-', 'sync-now', 'resume', 'open-folder', '-', 'settings', 'quit']);
    expect(trayModel(paused, NOW).tooltip).toBe('iCloud Photo Sync: Paused · until you resume');
  });

  it('disables Sync now and Open photos folder before setup', () => {
    const items = trayModel(INITIAL_SNAPSHOT, NOW).menu.filter((item) => item.type === 'item');
    const enabled = Object.fromEntries(items.map((item) => [item.id, item.enabled]));
    expect(enabled).toMatchObject({ open: true, 'sync-now': false, 'open-folder': false, settings: true, quit: true });
    expect(trayModel(INITIAL_SNAPSHOT, NOW).icon).toBe('not-set-up');
  });
});

describe('tray icons', () => {
  const spec = JSON.parse(readFileSync(path.join(BUILD, 'tray-states.json'), 'utf8')) as TrayIconState[];

  it('has one icon per state, committed as rendered from build/tray-states.json (16/24/32 px PNG light and dark, and ICO)', () => {
    expect(spec.map((state) => state.name).sort()).toEqual([...APP_STATES].sort());
    const files = renderTrayIcons(spec);
    for (const state of APP_STATES) {
      for (const variant of ['light', 'dark']) {
        for (const size of TRAY_ICON_SIZES) {
          const png = files.get(`${state}-${variant}-${size}.png`);
          expect(png?.readUInt32BE(16), `${state}-${variant}-${size} width`).toBe(size);
          expect(readFileSync(path.join(BUILD, 'tray', `${state}-${variant}-${size}.png`)).equals(png!), 'committed file is stale: npm run icons -- --tray build/tray-states.json --out build/tray').toBe(true);
        }
        const ico = readFileSync(path.join(BUILD, 'tray', `${state}-${variant}.ico`));
        expect(ico.readUInt16LE(2)).toBe(1);
        expect(ico.readUInt16LE(4)).toBe(TRAY_ICON_SIZES.length);
      }
    }
  });

  it('uses the ICO on Windows and the 32 px PNG elsewhere', () => {
    expect(trayIconPath('/i', 'paused', 'win32', 'dark')).toBe(path.join('/i', 'paused-dark.ico'));
    expect(trayIconPath('/i', 'paused', 'linux', 'light')).toBe(path.join('/i', 'paused-light-32.png'));
  });
});

describe('tray controller', () => {
  function standIn() {
    const calls: string[] = [];
    const record = { image: '', tooltip: '', menu: [] as MenuTemplateItem[], click: null as null | (() => void) };
    class Tray {
      constructor(image: string) { record.image = image; }
      setImage(image: string) { record.image = image; calls.push('setImage'); }
      setToolTip(text: string) { record.tooltip = text; calls.push('setToolTip'); }
      setContextMenu(menu: unknown) { record.menu = menu as MenuTemplateItem[]; calls.push('setContextMenu'); }
      on(_event: string, listener: () => void) { record.click = listener; }
      destroy() {}
    }
    const Menu = { buildFromTemplate: (template: MenuTemplateItem[]) => template as never };
    return { calls, record, electron: { Tray, Menu } };
  }

  it('sets image, tooltip and a new menu on every change, and routes clicks and menu items to actions', () => {
    const { calls, record, electron } = standIn();
    const done: string[] = [];
    const actions: TrayActions = {
      open: () => done.push('open'), openSettings: () => done.push('settings'), enterCode: () => done.push('code'),
      syncNow: () => done.push('sync'), pause: (choice) => done.push(`pause ${choice}`), resume: () => done.push('resume'),
      openFolder: () => done.push('folder'), quit: () => done.push('quit'),
    };
    const tray = new TrayController(electron, { iconDir: '/icons', platform: 'linux', now: () => NOW, actions }, configured);
    expect(record.image).toBe(path.join('/icons', 'up-to-date-dark-32.png'));
    tray.update({ ...configured, state: 'paused', pause: { until: null } });
    expect(calls).toEqual(['setImage', 'setToolTip', 'setContextMenu', 'setImage', 'setToolTip', 'setContextMenu']);
    expect(record.image).toBe(path.join('/icons', 'paused-dark-32.png'));
    expect(record.tooltip).toBe('iCloud Photo Sync: Paused · until you resume');
    record.menu.find((item) => item.id === 'resume')?.click?.();
    record.click?.();
    tray.update(configured);
    record.menu.find((item) => item.id === 'pause')?.submenu?.find((item) => item.id === 'pause-1h')?.click?.();
    record.menu.find((item) => item.id === 'quit')?.click?.();
    expect(done).toEqual(['resume', 'open', 'pause 1h', 'quit']);
    // Progress changes the tooltip only: an open menu is not replaced under the pointer.
    calls.length = 0;
    const syncing: AppSnapshot = { ...configured, state: 'syncing', progress: { phase: 'transferring', filesDone: 1, filesTotal: 4, bytesDone: 1, bytesTotal: 4, bytesPerSecond: 1, etaSeconds: 3 } };
    tray.update(syncing);
    calls.length = 0;
    tray.refreshTooltip({ ...syncing, progress: { ...syncing.progress!, filesDone: 2, bytesDone: 2 } });
    expect(calls).toEqual(['setToolTip']);
    expect(record.tooltip).toBe('iCloud Photo Sync: Syncing · 2 of 4 files (50%)');
    tray.refreshTooltip(configured);
    expect(calls).toEqual(['setToolTip', 'setImage', 'setToolTip', 'setContextMenu']);
  });
});
