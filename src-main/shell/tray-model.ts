/**
 * What the tray shows for a snapshot: the icon, the tooltip and the menu items. Pure (no Electron,
 * no clock of its own), so every state can be checked in a unit test and drawn in a screenshot.
 * The snapshot's state is already "worst wins" (src-main/app/app-state.ts); this only maps it.
 */
import { ARCHIVING_TITLE } from '../../src-shared/archive-activity.js';
import { STATE_TITLES, type AppSnapshot, type AppState } from '../../src-shared/snapshot.js';

/** The icon names in build/tray-states.json, one per state. */
export type TrayIcon = AppState;

/** Windows cuts tray tooltips after 127 characters. */
export const TOOLTIP_MAX = 127;

export type TrayMenuId =
  | 'open'
  | 'sync-now'
  | 'pause'
  | 'pause-30m'
  | 'pause-1h'
  | 'pause-tomorrow'
  | 'pause-until-resumed'
  | 'resume'
  | 'open-folder'
  | 'enter-code'
  | 'settings'
  | 'quit';

export type TrayMenuItem = { type: 'separator' } | { type: 'item'; id: TrayMenuId; label: string; enabled: boolean; submenu?: TrayMenuItem[] };

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

const APP_NAME = 'iCloud Photo Sync';

export function trayModel(snapshot: AppSnapshot, now: number): TrayModel {
  return { icon: snapshot.state, tooltip: trayTooltip(snapshot, now), menu: trayMenu(snapshot) };
}

/** One line: the app, the state, then progress, the next run or what is wrong; trust ending soon last. */
export function trayTooltip(snapshot: AppSnapshot, now: number): string {
  // The archive stage runs after the sync has finished: the tooltip names it instead of "Syncing".
  const archiving = snapshot.state === 'syncing' && snapshot.archive.running;
  const parts = [`${APP_NAME}: ${archiving ? ARCHIVING_TITLE : STATE_TITLES[snapshot.state]}`];
  const detail = stateDetail(snapshot, now);
  if (detail) parts.push(detail);
  if (snapshot.trustEndingSoon && snapshot.state !== 'needs-you') {
    parts.push(snapshot.trustEndsAt ? `Apple sign-in ends ${relative(snapshot.trustEndsAt, now)}` : 'Apple sign-in ends soon');
  }
  return fitOneLine(parts.join(' · '), TOOLTIP_MAX);
}

function stateDetail(snapshot: AppSnapshot, now: number): string | null {
  switch (snapshot.state) {
    case 'syncing': {
      if (snapshot.archive.running) return archiveDetail(snapshot.archive.progress);
      const progress = snapshot.progress;
      if (snapshot.runningElsewhere) return 'a command-line sync is running';
      if (!progress) return 'starting';
      if (progress.phase !== 'transferring' || progress.filesTotal === 0) return `${progress.phase}…`;
      return filesLine(progress);
    }
    case 'up-to-date':
      return snapshot.nextRunAt ? `next sync ${relative(snapshot.nextRunAt, now)}` : null;
    case 'paused':
      return snapshot.pause?.until ? `until ${clockTime(snapshot.pause.until, now)}` : 'until you resume';
    case 'needs-you':
      return snapshot.signIn.status === 'needs-code' ? 'enter the verification code' : 'sign in again';
    case 'offline':
      return snapshot.nextRunAt ? `trying again ${relative(snapshot.nextRunAt, now)}` : 'trying again later';
    case 'error':
    case 'not-set-up':
      return snapshot.message;
  }
}

function archiveDetail(progress: AppSnapshot['archive']['progress']): string {
  return !progress || progress.filesTotal === 0 ? 'checking what is new' : filesLine(progress);
}

/** "120 of 500 files (40%)": the share by bytes when known, else by files. */
function filesLine(progress: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number }): string {
  const percent = progress.bytesTotal > 0 ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : Math.floor((progress.filesDone / progress.filesTotal) * 100);
  return `${progress.filesDone} of ${progress.filesTotal} files (${percent}%)`;
}

export function trayMenu(snapshot: AppSnapshot): TrayMenuItem[] {
  const item = (id: TrayMenuId, label: string, enabled = true, submenu?: TrayMenuItem[]): TrayMenuItem => ({ type: 'item', id, label, enabled, ...(submenu ? { submenu } : {}) });
  const setUp = snapshot.state !== 'not-set-up';
  const running = snapshot.progress !== null || snapshot.runningElsewhere || snapshot.archive.running;
  const menu: TrayMenuItem[] = [item('open', `Open ${APP_NAME}`)];
  if (snapshot.signIn.status === 'needs-code') menu.push(item('enter-code', 'Enter verification code…'));
  menu.push({ type: 'separator' }, item('sync-now', snapshot.archive.running ? 'Archiving…' : running ? 'Syncing…' : 'Sync now', setUp && !running && snapshot.state !== 'needs-you'));
  if (snapshot.pause) {
    menu.push(item('resume', 'Resume'));
  } else {
    menu.push(
      item('pause', 'Pause', setUp, [
        item('pause-30m', '30 minutes'),
        item('pause-1h', '1 hour'),
        item('pause-tomorrow', 'Until tomorrow'),
        item('pause-until-resumed', 'Until I resume'),
      ]),
    );
  }
  menu.push(item('open-folder', 'Open photos folder', snapshot.syncFolder !== null), { type: 'separator' }, item('settings', 'Settings'), item('quit', 'Quit'));
  return menu;
}

function fitOneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** "in 3 h", "in 12 min", "in 2 days"; "now" for the past. */
function relative(iso: string, now: number): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  if (minutes < 1) return 'now';
  if (minutes < 60) return `in ${minutes} min`;
  if (minutes < 48 * 60) return `in ${Math.round(minutes / 60)} h`;
  return `in ${Math.round(minutes / 1440)} days`;
}

/** Local "14:30", or the date too when not today. */
function clockTime(iso: string, now: number): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === new Date(now).toDateString() ? time : `${at.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`;
}
