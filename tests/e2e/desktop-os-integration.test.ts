/**
 * The tray app's OS integration on a Linux desktop without a keyring (safeStorage's backend is
 * `basic_text`), end to end through the Electron stand-in against the simulator: the first run's
 * "Choose…" takes the folder from the system's folder picker and checks it; Settings' "This
 * computer" says plainly that the password cannot be stored safely, nothing is stored, and when Apple
 * wants the password again the app asks for it; "Start … when I log in" writes the XDG autostart
 * entry (under $XDG_CONFIG_HOME, pointing at $APPIMAGE) and removes it again; the sign-in episodes
 * become native notifications whose click opens the window for the state at the time of the click;
 * "Open photos folder" (tray and Settings) opens the sync folder, or says plainly that none is set.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_KEYRING_REASON, PASSWORD_FILE } from '../../src-main/shell/safe-storage-password.js';
import { openDesktopWorld, photoFiles, typeCode, type DesktopWorld } from './desktop-world.js';

// Where the user keeps the AppImage (its name changes with each version); spaces need quoting in Exec.
const APP_IMAGE = '/home/jane/Applications/iCloud Photo Sync-1.4.0.AppImage';

let world: DesktopWorld;
let page: Page;

beforeAll(async () => {
  world = await openDesktopWorld({ storageBackend: 'basic_text', env: { APPIMAGE: APP_IMAGE } });
}, 180_000);

afterAll(async () => {
  await world?.close();
});

/** Every file under `dir` whose bytes contain `text`. */
function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file).includes(text));
}

describe('the tray app on a desktop without a keyring', () => {
  it('"Open photos folder" before a folder is set: the tray item is greyed out, Settings\' button says what to do', async () => {
    expect(world.desktop.tray().menu?.byId('open-folder')?.enabled).toBe(false);
    // The first run's page has loaded, as when a person reaches for the tray.
    await (await world.mainPage('setup')).getByRole('heading', { name: 'Sign in to iCloud' }).waitFor();
    world.desktop.tray().menu?.click('Settings');
    const settings = await world.mainPage('settings');
    const panel = settings.getByRole('region', { name: 'This computer' });
    await panel.getByRole('button', { name: 'Open photos folder' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe('No photos folder is set yet: choose one in Settings.');
    expect(world.desktop.electron.shell.openedPaths).toEqual([]);
    // Back to the first run, where the shell put the window at start.
    world.app.windows.showMain('setup');
  }, 120_000);

  it('first run: "Choose…" fills the folder from the system folder picker and the folder is checked', async () => {
    page = await world.mainPage();
    page.setDefaultTimeout(60_000);
    await page.getByRole('heading', { name: 'Sign in to iCloud' }).waitFor();
    await page.getByLabel('Apple ID').fill(world.sim.account.appleId);
    await page.getByLabel('Password').fill(world.sim.account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enter the verification code' }).waitFor();
    await typeCode(page, world.sim.code);
    await page.getByRole('heading', { name: 'Where should your photos go?' }).waitFor();

    // A folder another tool already filled: the check recognises its file, which proves it ran.
    mkdirSync(world.folder, { recursive: true });
    writeFileSync(join(world.folder, 'kept-by-me.txt'), 'not a photo');
    const dialog = world.desktop.electron.dialog;
    dialog.willAnswer(world.folder);
    await page.getByRole('button', { name: 'Choose…' }).click();
    await expect.poll(() => page.getByLabel('Sync folder (full path)').inputValue()).toBe(world.folder);
    expect(dialog.asked.at(-1)?.properties).toContain('openDirectory');
    await page.getByText(/^1 file is already in it/).waitFor();
    await world.shoot(page, 'first-run-folder-chosen');

    // Cancelling the picker leaves the field as it was.
    dialog.willAnswer(null);
    await page.getByRole('button', { name: 'Choose…' }).click();
    await expect.poll(() => dialog.asked.length).toBe(2);
    expect(await page.getByLabel('Sync folder (full path)').inputValue()).toBe(world.folder);

    await page.getByRole('button', { name: 'Show what will be downloaded' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await world.until((s) => s.state === 'up-to-date' && s.recentRuns.length > 0, 60_000);
    expect(photoFiles(world.folder).length).toBeGreaterThan(1);
  }, 240_000);

  it('says in Settings that the password cannot be stored safely here, and stores nothing', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const panel = page.getByRole('region', { name: 'This computer' });
    await panel.getByText(NO_KEYRING_REASON).waitFor();
    await panel.scrollIntoViewIfNeeded();
    await world.shoot(page, 'settings-no-keyring');
    expect(existsSync(join(world.dataDir, PASSWORD_FILE))).toBe(false);
    // Nor anywhere else in the data folder, in any form the app wrote it.
    expect(filesContaining(world.dataDir, world.sim.account.password)).toEqual([]);
  });

  it('"Open photos folder" in Settings and in the tray opens the sync folder in the file manager', async () => {
    const shell = world.desktop.electron.shell;
    const panel = page.getByRole('region', { name: 'This computer' });
    await panel.getByRole('button', { name: 'Open photos folder' }).click();
    await expect.poll(() => shell.openedPaths).toEqual([world.folder]);
    expect(await panel.getByRole('alert').count()).toBe(0);
    world.desktop.tray().menu?.click('Open photos folder');
    await expect.poll(() => shell.openedPaths).toEqual([world.folder, world.folder]);
  });

  it('asks for the password when Apple wants it again, and still stores nothing', async () => {
    world.sim.expireWebSessions();
    world.desktop.tray().menu?.click('Sync now');
    await world.until((s) => s.state === 'needs-you' && s.signIn.status !== 'needs-code', 60_000);
    await expect.poll(() => world.desktop.tray().image).toMatch(/needs-you-(light|dark)-\d+\.png$/);

    await page.getByRole('button', { name: 'Status' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in to iCloud' }).waitFor();
    await world.shoot(page, 'password-asked');
    await page.getByLabel('Password').fill(world.sim.account.password);
    const runsBefore = world.app.service.snapshot().recentRuns.length;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await world.until((s) => s.signIn.status === 'ready', 60_000);
    // Signed in again, syncing goes on (a run may already have started by itself).
    await world.send({ type: 'sync-now' });
    await world.until((s) => s.state === 'up-to-date' && s.recentRuns.length > runsBefore && s.recentRuns[0]?.outcome === 'success', 60_000);
    expect(existsSync(join(world.dataDir, PASSWORD_FILE))).toBe(false);
    expect(filesContaining(world.dataDir, world.sim.account.password)).toEqual([]);
  }, 180_000);

  it('"Start … when I log in" in Settings writes the XDG autostart entry for the AppImage; unticking removes it', async () => {
    const entry = join(world.home, '.config', 'autostart', 'icloud-photo-sync.desktop');
    expect(existsSync(entry)).toBe(false);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const box = page.getByRole('region', { name: 'This computer' }).getByLabel('Start iCloud Photo Sync when I log in (it waits in the tray)');
    // The box shows what the app answered (it is ticked once the entry is written): a click, then wait.
    await box.click();
    await expect.poll(() => box.isChecked()).toBe(true);
    await expect.poll(() => existsSync(entry)).toBe(true);
    const text = readFileSync(entry, 'utf8');
    expect(text).toMatch(/^\[Desktop Entry\]\n/);
    expect(text).toContain('Type=Application\n');
    expect(text).toContain(`Exec="${APP_IMAGE}" --background\n`);
    expect(world.app.prefs.launchAtLogin).toBe(true);
    await world.shoot(page, 'settings-launch-at-login');

    // A window opened later shows the setting as saved.
    world.desktop.windows.find((w) => w.currentUrl().startsWith('app://ui/'))?.close();
    world.desktop.tray().menu?.click('Settings');
    page = await world.mainPage('settings');
    const again = page.getByRole('region', { name: 'This computer' }).getByLabel('Start iCloud Photo Sync when I log in (it waits in the tray)');
    await expect.poll(() => again.isChecked()).toBe(true);

    await again.click();
    await expect.poll(() => again.isChecked()).toBe(false);
    expect(existsSync(entry)).toBe(false);
    expect(world.app.prefs.launchAtLogin).toBe(false);
  });

  it('shows native notifications for the sign-in episodes; a click opens the window for the state at that moment', async () => {
    const shownBefore = world.desktop.notifications.length;
    world.sim.expireTrust();
    world.sim.expireWebSessions();
    await world.send({ type: 'sync-now' });
    await world.until((s) => s.state === 'needs-you' && s.signIn.status !== 'needs-code', 60_000);
    const passwordNote = await waitForNotification(shownBefore, /needs your Apple ID password$/);
    expect(passwordNote.options.urgency).toBe('normal');
    // No link on a desktop: the body says what a click does.
    expect(passwordNote.options.body).toBe('Apple asks you to sign in again before syncing can go on. Click to sign in.');

    // The password answered, Apple wants a code: announced on its own, urgent; the popup opens by itself.
    expect(await world.ok({ type: 'sign-in', appleId: world.sim.account.appleId, password: world.sim.account.password })).toEqual({ status: 'needs-code' });
    const codeNote = await waitForNotification(shownBefore, /needs a verification code$/);
    expect(codeNote.options.urgency).toBe('critical');
    expect(codeNote.options.body).toBe('Apple asks for a verification code before syncing can go on. Click to enter the code.');
    const popup = await world.desktop.window((url) => url.endsWith('#code'));
    await popup.page.waitForLoadState('load');

    // The person closed the popup and clicks the notification later: the code popup again.
    popup.window.close();
    await expect.poll(() => codeWindows().length).toBe(0);
    codeNote.click();
    const { page: codePage } = await world.desktop.window((url) => url.endsWith('#code'));
    codePage.setDefaultTimeout(60_000);
    await codePage.getByRole('heading', { name: 'Enter the verification code' }).waitFor();
    await world.shoot(codePage, 'code-popup-from-notification');
    await typeCode(codePage, world.sim.code);
    await world.until((s) => s.signIn.status === 'ready', 60_000);
    await expect.poll(() => codeWindows().length).toBe(0);

    // The older password notification, clicked now that nothing is needed: the status window, no popup.
    world.desktop.windows.find((w) => w.currentUrl().startsWith('app://ui/'))?.close();
    passwordNote.click();
    const status = await world.mainPage('status');
    await status.getByRole('heading', { name: /Up to date|Syncing/ }).first().waitFor();
    expect(codeWindows()).toEqual([]);
    // Nothing secret in a notification.
    for (const note of world.desktop.notifications) expect(JSON.stringify(note.options)).not.toContain(world.sim.account.password);
  }, 180_000);
});

function codeWindows() {
  return world.desktop.windows.filter((w) => w.currentUrl().endsWith('#code'));
}

/** The first notification shown after the first `after` ones whose title matches. */
async function waitForNotification(after: number, title: RegExp) {
  await expect.poll(() => world.desktop.notifications.slice(after).some((n) => title.test(n.options.title)), { timeout: 30_000 }).toBe(true);
  const found = world.desktop.notifications.slice(after).find((n) => title.test(n.options.title));
  if (!found) throw new Error(`no notification ${title}`);
  expect(found.shown).toBe(true);
  return found;
}
