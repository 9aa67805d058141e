/**
 * "Launch at login": Windows' login item through Electron; on Linux an XDG autostart entry,
 * ~/.config/autostart/<app id>.desktop (or under $XDG_CONFIG_HOME). An AppImage's path changes with
 * every version, so the entry points at $APPIMAGE and is written again at each start.
 * A start at login passes --background: the app goes to the tray without opening its window.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ElectronApis } from './electron-apis.js';

export const LINUX_APP_ID = 'icloud-photo-sync';
export const BACKGROUND_ARG = '--background';

export interface LaunchAtLoginHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** The program to start: the Electron binary (packaged app) … */
  execPath: string;
  /** … and, when not packaged, the app folder to give it. */
  appArgs: string[];
  app: Pick<ElectronApis['app'], 'setLoginItemSettings'>;
}

export function autostartFile(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homeDir, '.config');
  return path.join(configHome, 'autostart', `${LINUX_APP_ID}.desktop`);
}

/** One Exec argument as the Desktop Entry spec wants it: quoted, with its reserved characters escaped. */
function execArg(arg: string): string {
  const escaped = arg.replace(/[\\"`$]/g, (char) => `\\${char}`).replace(/%/g, '%%');
  return /^[A-Za-z0-9_\-./=:+,@]+$/.test(arg) ? escaped : `"${escaped}"`;
}

export function autostartEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=iCloud Photo Sync',
    'Comment=Keep a local copy of your iCloud Photos library',
    `Exec=${command.map(execArg).join(' ')}`,
    `Icon=${LINUX_APP_ID}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The command a login starts: the AppImage when run from one, else the binary (and the app folder). */
export function launchCommand(host: Pick<LaunchAtLoginHost, 'env' | 'execPath' | 'appArgs'>): string[] {
  const appImage = host.env.APPIMAGE;
  return appImage ? [appImage, BACKGROUND_ARG] : [host.execPath, ...host.appArgs, BACKGROUND_ARG];
}

/** Makes the system match the preference; called when it changes and at every start. */
export function applyLaunchAtLogin(enabled: boolean, host: LaunchAtLoginHost): void {
  if (host.platform !== 'linux') {
    host.app.setLoginItemSettings({ openAtLogin: enabled, path: host.execPath, args: [...host.appArgs, BACKGROUND_ARG] });
    return;
  }
  const file = autostartFile(host.env, host.homeDir);
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, autostartEntry(launchCommand(host)), { mode: 0o644 });
  renameSync(temp, file);
}

export function startedAtLogin(argv: readonly string[]): boolean {
  return argv.includes(BACKGROUND_ARG);
}

export function hasAutostartEntry(env: NodeJS.ProcessEnv, homeDir: string): boolean {
  return existsSync(autostartFile(env, homeDir));
}
