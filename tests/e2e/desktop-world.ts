/**
 * The real tray app (src-main/shell, composition root `startDesktopApp`) under Node, with `electron`
 * replaced by the stand-in (tests/electron-standin): windows are Chromium pages running the built
 * renderer and the built preload, the service talks to the simulator over real HTTP, with real
 * files and a real tracker in a temp folder. One world per test file.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Clock } from '../../src-main/app/clock.js';
import { startDesktopApp, type DesktopApp } from '../../src-main/shell/desktop-app.js';
import { serviceBridge } from '../../src-main/app/service-bridge.js';
import { MARKER_FILE, TEMP_DIR } from '../../src-main/sync/folder-marker.js';
import { dataPaths, trackerFile } from '../../src-main/config/paths.js';
import { trackedFiles } from '../integration/cli-harness.js';
import { StandinDesktop } from '../electron-standin/app.js';
import { createElectronStandin, type ElectronStandin } from '../electron-standin/index.js';
import { shootTray } from '../electron-standin/menu-picture.js';
import type { StorageBackend } from '../electron-standin/os-services.js';
import { bridgeHelpers, simClientFactory, type ServiceWorld } from '../integration/service-harness.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/server.js';
import { launchChromium } from '../support/browser.js';
import { captureLogger } from '../support/capture-logger.js';
import { buildPreload } from '../support/built-preload.js';
import { buildUi } from '../support/built-ui.js';

export interface DesktopWorld extends Pick<ServiceWorld, 'send' | 'ok' | 'until' | 'nextRunFinished'> {
  /** What the app logged (tests check that no secret is in it). */
  logText(): string;
  sim: Simulator;
  browser: Browser;
  /** The first launch's stand-in (the one holding the single-instance lock). */
  desktop: ElectronStandin;
  app: DesktopApp;
  dataDir: string;
  folder: string;
  home: string;
  /** Starts the app again on the same desktop and data folder (a second launch or a relaunch). */
  launch(options?: { storageBackend?: StorageBackend }): Promise<{ desktop: ElectronStandin; app: DesktopApp | null }>;
  /** The main window's page, once its URL has this hash view (`#status`, `#setup`…). */
  mainPage(view?: string): Promise<Page>;
  /** Screenshots of a window page and of the tray to screenshots/<run>/. */
  shoot(page: Page, name: string): Promise<void>;
  shootTray(name: string, openSubmenu?: string): Promise<void>;
  close(): Promise<void>;
}

const RUN = new Date().toISOString().replace(/[:.]/g, '-');
export const SHOTS = resolve('screenshots', RUN);

export interface DesktopWorldOptions {
  sim?: Partial<SimulatorOptions>;
  storageBackend?: StorageBackend;
  clock?: Clock;
  /** Added to the app's environment (XDG_CONFIG_HOME always points into the world's temp home). */
  env?: NodeJS.ProcessEnv;
}

export async function openDesktopWorld(options: DesktopWorldOptions = {}): Promise<DesktopWorld> {
  const [browser, rendererDir, preloadPath, sim] = await Promise.all([
    launchChromium(), buildUi(), buildPreload(), startSimulator({ mfa: 'device', assets: 12, seed: 15, ...options.sim }),
  ]);
  const base = mkdtempSync(join(tmpdir(), 'desktop-world-'));
  const dataDir = join(base, 'data');
  const home = join(base, 'home');
  const folder = join(base, 'Photos');
  mkdirSync(home, { recursive: true });
  const logger = captureLogger();
  const shared = new StandinDesktop();
  const started: ElectronStandin[] = [];
  const apps: DesktopApp[] = [];
  const launch = async (launchOptions: { storageBackend?: StorageBackend } = {}) => {
    const desktop = await createElectronStandin({ browser, desktop: shared, storageBackend: launchOptions.storageBackend ?? options.storageBackend });
    started.push(desktop);
    const app = await startDesktopApp(desktop.electron, {
      dataDir, preloadPath, rendererDir, trayIconDir: resolve('build/tray'),
      clientFactory: simClientFactory(sim),
      firstRunDelayMs: 20,
      platform: 'linux',
      env: { XDG_CONFIG_HOME: join(home, '.config'), ...options.env },
      homeDir: home,
      execPath: '/opt/iCloud Photo Sync/icloud-photo-sync',
      argv: [],
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    if (app) apps.push(app);
    return { desktop, app };
  };
  const first = await launch();
  if (!first.app) throw new Error('the first launch did not get the single-instance lock');
  const app = first.app;
  mkdirSync(SHOTS, { recursive: true });

  const world: DesktopWorld = {
    sim, browser, desktop: first.desktop, app, dataDir, folder, home, launch,
    logText: () => logger.text(),
    ...bridgeHelpers(serviceBridge(app.service)),
    // The main window is every app page but the code popup (#code).
    mainPage: async (view) => (await first.desktop.window((url) => url.startsWith('app://ui/index.html') && !url.endsWith('#code') && (view === undefined || url.endsWith(`#${view}`)))).page,
    shoot: async (page, name) => {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: join(SHOTS, `desktop-${name}-${scheme}.png`) });
      }
      await page.emulateMedia({ colorScheme: 'light' });
    },
    shootTray: async (name, openSubmenu) => {
      for (const dark of [false, true]) {
        await shootTray(browser, first.desktop.tray(), join(SHOTS, `tray-${name}-${dark ? 'dark' : 'light'}.png`), { openSubmenu, dark });
      }
    },
    close: async () => {
      // Nobody quits while a window is still loading; then the apps stop their service (as Quit
      // does) and the stand-ins close their pages.
      await Promise.all(started.flatMap((desktop) => desktop.windows.map((window) => window.idle())));
      for (const each of apps) await each.quit().catch(() => undefined);
      for (const desktop of started) {
        desktop.electron.app.exit(0);
        await desktop.close();
      }
      await browser.close();
      const violations = sim.violations();
      await sim.close();
      rmSync(base, { recursive: true, force: true });
      rmSync(rendererDir, { recursive: true, force: true });
      rmSync(dirname(preloadPath), { recursive: true, force: true });
      expect(violations).toEqual([]);
    },
  };
  return world;
}

/**
 * Signed in and synced through the service, as a person would with the tray app: the code window
 * opens by itself at "needs code", and the code is typed once that window has loaded.
 */
export async function signedInAndSynced(world: DesktopWorld, finished: () => Promise<unknown> = () => world.until((s) => s.state === 'up-to-date' && s.recentRuns.length > 0)): Promise<void> {
  await world.ok({ type: 'save-settings', values: { appleId: world.sim.account.appleId, syncFolder: world.folder } });
  expect(await world.ok({ type: 'sign-in', appleId: world.sim.account.appleId, password: world.sim.account.password })).toEqual({ status: 'needs-code' });
  const { page } = await world.desktop.window((url) => url.endsWith('#code'));
  await page.waitForLoadState('load');
  expect(await world.ok({ type: 'submit-code', code: world.sim.code })).toEqual({ status: 'ready' });
  await finished();
}

/** Types a code into the code dialog on `page` and sends it. */
export async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Digit 1 of 6').focus();
  await page.keyboard.type(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Files under their real names in the sync folder (the app's marker file and temp folder left out). */
export function photoFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (dir === folder && (entry.name === TEMP_DIR || entry.name === MARKER_FILE)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  if (existsSync(folder)) walk(folder);
  return found.sort();
}

/** Temp files waiting to be resumed, with their sizes. */
export function tempFiles(folder: string): Array<{ name: string; size: number }> {
  const dir = join(folder, TEMP_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => ({ name, size: statSync(join(dir, name)).size }));
}

/** One launch of the app: the first (`world.desktop`, `world.app`) or one from `world.launch()`. */
export interface Launched { desktop: ElectronStandin; app: DesktopApp | null }

/**
 * A new photo, and "Sync now" from the tray of `launched`: resolves once its download is under way
 * and the simulator holds it after its first `bytes` bytes (the run is in the middle of the file).
 */
export async function downloadHeldAfter(world: DesktopWorld, bytes: number, launched: Launched = world): Promise<void> {
  // A run the app started by itself (at start, on schedule) ends first: "Sync now" is offered only then.
  await expect.poll(() => launched.app?.service.snapshot().state, { timeout: 60_000 }).toBe('up-to-date');
  world.sim.library.addAsset();
  world.sim.setFaults({ stallAfterBytes: bytes });
  launched.desktop.tray().menu?.click('Sync now');
  await expect.poll(() => {
    const progress = launched.app?.service.snapshot().progress;
    return progress?.phase === 'transferring' && progress.bytesDone >= bytes;
  }, { timeout: 60_000 }).toBe(true);
}

/** Every file the tracker calls downloaded, byte for byte what the simulator serves, and nothing else under a real name. */
export function expectTrackerMatchesFolder(world: DesktopWorld): void {
  const rows = trackedFiles(trackerFile(dataPaths(world.dataDir), world.sim.account.appleId)).filter((file) => file.state === 'downloaded');
  expect(photoFiles(world.folder)).toEqual(rows.map((row) => join(world.folder, ...row.relPath.split('/'))).sort());
  for (const row of rows) {
    const expected = world.sim.library.contentOf(row.fileChecksum)?.read();
    expect(readFileSync(join(world.folder, ...row.relPath.split('/'))).equals(expected ?? Buffer.alloc(0)), row.relPath).toBe(true);
  }
}
