/**
 * Apple's trust ends while the tray app runs: the next sync needs a code, the tray says so
 * ("needs you" icon, the "Enter verification code…" item), and the small code window opens by
 * itself. A wrong code is refused with the tries left; the right one resumes the sync. The password
 * for the unattended sign-in came from safeStorage (a desktop with a keyring).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDesktopWorld, signedInAndSynced, type DesktopWorld } from './desktop-world.js';

let world: DesktopWorld;

beforeAll(async () => {
  world = await openDesktopWorld({ storageBackend: 'gnome_libsecret' });
  await signedInAndSynced(world);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Digit 1 of 6').focus();
  await page.keyboard.type(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('the tray app when Apple asks for a code again', () => {
  it('opens the code window by itself; a wrong code is refused with the tries left; the right one resumes', async () => {
    world.sim.expireTrust();
    world.sim.expireWebSessions();
    world.desktop.tray().menu?.click('Sync now');
    await world.until((s) => s.state === 'needs-you' && s.signIn.status === 'needs-code', 60_000);

    await expect.poll(() => world.desktop.tray().image).toMatch(/needs-you-(light|dark)-\d+\.png$/);
    expect(world.desktop.tray().toolTip).toMatch(/^iCloud Photo Sync: Needs you · enter the verification code/);
    expect(world.desktop.tray().menu?.byId('enter-code')?.label).toBe('Enter verification code…');
    await world.shootTray('needs-you');

    // Nobody clicked anything: the shell opened the code window on its own.
    const { page } = await world.desktop.window((url) => url.endsWith('#code'));
    page.setDefaultTimeout(60_000);
    // The popup is the #code view itself: the code dialog, with no click needed.
    expect(page.url()).toMatch(/#code$/);
    await page.getByRole('heading', { name: 'Enter the verification code' }).waitFor();
    expect(await page.getByRole('button', { name: 'Enter code' }).count()).toBe(0);
    await page.getByText('5 tries left for this sign-in.').waitFor();
    await world.shoot(page, 'code-popup');

    const wrong = world.sim.code === '000000' ? '111111' : '000000';
    await typeCode(page, wrong);
    await page.getByRole('alert').filter({ hasText: 'That verification code is not right' }).waitFor();
    await page.getByText('4 tries left for this sign-in.').waitFor();
    await world.shoot(page, 'code-popup-wrong');
    expect(world.app.service.snapshot().signIn.status).toBe('needs-code');

    const finished = world.nextRunFinished(60_000);
    await typeCode(page, world.sim.code);
    expect((await finished).outcome).toBe('success');
    await world.until((s) => s.state === 'up-to-date', 60_000);
    await expect.poll(() => world.desktop.tray().image).toMatch(/up-to-date-(light|dark)-\d+\.png$/);
    expect(world.desktop.tray().menu?.byId('enter-code')).toBeUndefined();
    // Once no code is needed the popup goes away by itself.
    await expect.poll(() => world.desktop.windows.filter((w) => w.currentUrl().endsWith('#code')).length).toBe(0);
  }, 240_000);
});
