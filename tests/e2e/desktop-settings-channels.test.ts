/**
 * Notification channels in the tray app's Settings: checkboxes with Desktop among them (desktop
 * notifications exist only here), changed with the keyboard and saved through save-settings to the
 * config.json the CLI reads.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src-main/config/load-settings.js';
import { openDesktopWorld, signedInAndSynced, type DesktopWorld } from './desktop-world.js';

let world: DesktopWorld;

beforeAll(async () => {
  world = await openDesktopWorld();
  await signedInAndSynced(world);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('notification channels in the tray app', () => {
  it('offers Desktop, Pushover and ntfy as checkboxes; the keyboard changes them; Save writes config.json', async () => {
    const page = await world.mainPage();
    page.setDefaultTimeout(60_000);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const channels = page.getByRole('group', { name: 'Notification channels' });
    await channels.waitFor();
    const desktop = channels.getByRole('checkbox', { name: 'Desktop notifications on this computer' });
    await expect(channels.getByRole('checkbox').count()).resolves.toBe(3);
    await expect(desktop.isChecked()).resolves.toBe(true);

    // Tab order runs through the boxes; Space toggles.
    await desktop.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(channels.getByRole('checkbox', { name: 'ntfy' }).evaluate((box) => box === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Space');
    await world.shoot(page, 'settings-channels');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved to /).waitFor();
    expect(loadSettings({ env: {}, defaultConfigPath: join(world.dataDir, 'config.json') }).settings.notifyChannels).toEqual(['ntfy']);
    await page.getByRole('heading', { name: 'ntfy (on)' }).waitFor();
  }, 120_000);
});
