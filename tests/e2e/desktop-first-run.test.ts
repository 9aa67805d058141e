/**
 * The tray app's first launch, end to end: the real shell with the Electron stand-in, the window a
 * Chromium page of the built UI, the simulator over HTTP, real files and tracker. First launch opens
 * the first-run flow in the window; sign-in, code, folder and start there; the first sync fills the
 * folder and the tray says "Up to date". Then the tray's "Sync now" shows progress in the tooltip and
 * the window while a download is held by the simulator; a second launch only brings the window forward.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDesktopWorld, photoFiles, type DesktopWorld } from './desktop-world.js';

let world: DesktopWorld;
let page: Page;

beforeAll(async () => {
  world = await openDesktopWorld();
}, 180_000);

afterAll(async () => {
  await world?.close();
});

async function typeCode(code: string): Promise<void> {
  await page.getByLabel('Digit 1 of 6').focus();
  await page.keyboard.type(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('the tray app, first launch', () => {
  it('opens the first-run flow in its window; sign-in, code, folder and Start lead to the first sync', async () => {
    const tray = world.desktop.tray();
    expect(tray.image).toMatch(/build\/tray\/not-set-up-(light|dark)-(16|24|32)\.png$/);
    expect(tray.toolTip).toMatch(/^iCloud Photo Sync: /);
    await world.shootTray('not-set-up');

    page = await world.mainPage();
    page.setDefaultTimeout(60_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.getByRole('heading', { name: 'Sign in to iCloud' }).waitFor();
    await world.shoot(page, 'first-run-sign-in');
    await page.getByLabel('Apple ID').fill(world.sim.account.appleId);
    await page.getByLabel('Password').fill(world.sim.account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enter the verification code' }).waitFor();
    await world.shoot(page, 'first-run-code');
    await typeCode(world.sim.code);

    await page.getByRole('heading', { name: 'Where should your photos go?' }).waitFor();
    await page.getByLabel('Sync folder (full path)').fill(world.folder);
    await world.shoot(page, 'first-run-folder');
    await page.getByRole('button', { name: 'Show what will be downloaded' }).click();
    await page.getByRole('heading', { name: 'Ready to download' }).waitFor();
    expect(photoFiles(world.folder)).toEqual([]);
    await world.shoot(page, 'first-run-preview');

    await page.getByRole('button', { name: 'Start' }).click();
    await world.until((s) => s.state === 'up-to-date' && s.recentRuns.length > 0);
    await page.getByRole('heading', { name: 'Up to date' }).waitFor();
    expect(world.app.service.snapshot().recentRuns[0]?.outcome).toBe('success');
    expect(photoFiles(world.folder).length).toBeGreaterThan(0);
    await expect.poll(() => world.desktop.tray().toolTip).toMatch(/^iCloud Photo Sync: Up to date/);
    expect(world.desktop.tray().image).toMatch(/up-to-date-(light|dark)-\d+\.png$/);
    await world.shoot(page, 'status');
    await world.shootTray('up-to-date');
    expect(errors).toEqual([]);
  }, 240_000);

  it('tray "Sync now" shows the download progress in the tooltip and in the window', async () => {
    const before = photoFiles(world.folder).length;
    for (let i = 0; i < 3; i++) world.sim.library.addAsset();
    // The simulator holds each download after its first bytes: the run is surely mid-transfer.
    world.sim.setFaults({ stallAfterBytes: 1024 });
    try {
      world.desktop.tray().menu?.click('Sync now');
      await world.until((s) => s.progress?.phase === 'transferring' && s.progress.filesTotal > 0);
      await expect.poll(() => world.desktop.tray().toolTip).toMatch(/^iCloud Photo Sync: Syncing · \d+ of \d+ files \(\d+%\)/);
      expect(world.desktop.tray().image).toMatch(/syncing-(light|dark)-\d+\.png$/);
      await page.getByText(/Downloading \d+ of \d+ files/).waitFor();
      await world.shoot(page, 'syncing');
      await world.shootTray('syncing');
    } finally {
      world.sim.setFaults({ stallAfterBytes: 0 });
    }
    await world.until((s) => s.state === 'up-to-date' && s.progress === null);
    await page.getByRole('heading', { name: 'Up to date' }).waitFor();
    expect(photoFiles(world.folder).length).toBeGreaterThan(before);
  }, 180_000);

  it('a second launch does not start a second app: it brings the running one forward', async () => {
    const main = world.desktop.windows.find((w) => w.currentUrl().startsWith('app://ui/'));
    main?.hide();
    const second = await world.launch();
    expect(second.app).toBeNull();
    expect(second.desktop.electron.app.quitted).toBe(true);
    expect(second.desktop.windows).toEqual([]);
    await expect.poll(() => main?.isVisible()).toBe(true);
  });

  it('closing the window keeps the app in the tray; the tray icon opens it again', async () => {
    const main = world.desktop.windows.find((w) => w.currentUrl().startsWith('app://ui/'));
    main?.close();
    expect(world.desktop.electron.app.quitted).toBe(false);
    expect(world.desktop.tray().destroyed).toBe(false);
    world.desktop.tray().click();
    page = await world.mainPage();
    await page.getByRole('heading', { name: 'Up to date' }).waitFor();
  });
});
