/**
 * The tray app serves the same local web page as `daemon --web`. When Apple's trust ends the code
 * popup opens first, and the page starts by itself on 127.0.0.1 in the saved port range: without its
 * token it refuses, its link opens the code dialog in a real Chromium page, the code typed there
 * resumes the sync, and the page stops again (it was started only for the code). "Keep the local
 * web page on" in Settings › This computer serves it all the time, also after a relaunch; Quit
 * closes it and removes its link file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_FILE_NAME } from '../../src-main/web/link-file.js';
import { DESKTOP_PREFS_FILE } from '../../src-main/shell/desktop-prefs.js';
import { send } from '../integration/web-harness.js';
import { occupiedRange } from '../support/occupied-ports.js';
import { openDesktopWorld, SHOTS, signedInAndSynced, typeCode, type DesktopWorld } from './desktop-world.js';

let world: DesktopWorld;
let ports: { first: number; last: number };
let linkFile: string;

beforeAll(async () => {
  world = await openDesktopWorld({ storageBackend: 'gnome_libsecret' });
  await signedInAndSynced(world);
  // A range nothing else on this machine uses right now, saved as a person would in Settings.
  const free = await occupiedRange(10);
  await free.release();
  ports = { first: free.first, last: free.last };
  await world.ok({ type: 'save-settings', values: { webPorts: `${ports.first}-${ports.last}` } });
  linkFile = join(world.dataDir, LINK_FILE_NAME);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

/** Whether anything still listens at `url` (a closed page refuses the connection). */
async function answers(url: string): Promise<boolean> {
  return send(url, 'GET', {}).then(() => true, () => false);
}

describe('the local web page in the tray app', () => {
  it('starts by itself when a code is needed, refuses without the token, takes the code, then stops', async () => {
    // The first sign-in's code started the page too; with that code accepted it stops by itself.
    await world.until((s) => s.webPage.status === 'off', 30_000);
    expect(existsSync(linkFile)).toBe(false);

    world.sim.expireTrust();
    world.sim.expireWebSessions();
    world.desktop.tray().menu?.click('Sync now');
    await world.until((s) => s.signIn.status === 'needs-code', 60_000);
    // The native popup is still the first choice; it asks Apple for the code.
    await world.desktop.window((url) => url.endsWith('#code'));
    await world.until((s) => s.signIn.codeSentTo !== null, 60_000);

    const serving = await world.until((s) => s.webPage.status === 'serving', 30_000);
    const base = new URL(serving.webPage.url ?? '');
    expect(base.hostname).toBe('127.0.0.1');
    expect(Number(base.port)).toBeGreaterThanOrEqual(ports.first);
    expect(Number(base.port)).toBeLessThanOrEqual(ports.last);
    if (process.platform !== 'win32') expect(statSync(linkFile).mode & 0o777).toBe(0o600);
    const link = new URL(readFileSync(linkFile, 'utf8').trim());
    const token = link.searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(link.origin).toBe(base.origin);
    expect(serving.webPage.url).not.toContain(token);

    // Without the link's token the page answers nothing.
    expect((await send(base.href, 'GET', {})).status).toBe(401);
    expect((await send(`${base.origin}/api/snapshot`, 'GET', {})).status).toBe(401);

    // The desktop window's Status view says where the page is (without the token).
    world.desktop.tray().menu?.click('Open iCloud Photo Sync');
    const status = await world.mainPage('status');
    const region = status.getByRole('region', { name: 'Local web page' });
    await region.getByText(`On at ${serving.webPage.url}`).waitFor();
    await world.shoot(status, 'status-web-page-for-code');

    // Another browser (a phone would come through a notification's link) opens the page's link.
    const browserPage = await world.browser.newPage({ viewport: { width: 390, height: 844 } });
    browserPage.setDefaultTimeout(60_000);
    await browserPage.goto(link.href);
    expect(browserPage.url()).not.toContain(token);
    await browserPage.getByRole('button', { name: 'Enter code' }).click();
    await browserPage.getByRole('heading', { name: 'Enter the verification code' }).waitFor();
    await browserPage.screenshot({ path: join(SHOTS, 'browser-code-from-desktop-page.png') });

    const finished = world.nextRunFinished(60_000);
    await typeCode(browserPage, world.sim.code);
    expect((await finished).outcome).toBe('success');
    await world.until((s) => s.state === 'up-to-date', 60_000);
    await browserPage.close();

    // Started only for the code: once the sign-in no longer waits, the page and its link file go.
    await world.until((s) => s.webPage.status === 'off', 30_000);
    expect(existsSync(linkFile)).toBe(false);
    expect(await answers(base.href)).toBe(false);
    await expect.poll(() => world.desktop.windows.filter((w) => w.currentUrl().endsWith('#code')).length).toBe(0);
    await region.waitFor({ state: 'detached' });

    const log = world.logText();
    expect(log).toContain('a verification code is needed: the local page starts');
    expect(log).not.toContain(token);
    expect(log).not.toContain(world.sim.code);
  }, 240_000);

  it('"Keep the local web page on" serves it without a code, after a relaunch too; Quit closes it', async () => {
    world.desktop.tray().menu?.click('Settings');
    const settings = await world.mainPage('settings');
    const box = settings.getByRole('region', { name: 'This computer' }).getByLabel(/^Keep the local web page on/);
    expect(world.app.service.snapshot().webPage.status).toBe('off');
    // The box shows what the app answered (ticked once the page runs): a click, then wait.
    await box.click();
    await expect.poll(() => box.isChecked(), { timeout: 30_000 }).toBe(true);
    const serving = await world.until((s) => s.webPage.status === 'serving', 30_000);
    expect(JSON.parse(readFileSync(join(world.dataDir, DESKTOP_PREFS_FILE), 'utf8'))).toMatchObject({ webPageAlwaysOn: true });
    expect(existsSync(linkFile)).toBe(true);
    const link = new URL(readFileSync(linkFile, 'utf8').trim());
    expect((await send(link.href, 'GET', {})).status).toBe(303);
    await world.shoot(settings, 'settings-web-page-always-on');

    // Quit closes the page and removes its link before the app is gone.
    world.desktop.tray().menu?.click('Quit');
    await world.desktop.electron.app.whenQuit();
    expect(existsSync(linkFile)).toBe(false);
    expect(await answers(serving.webPage.url ?? '')).toBe(false);

    // Launched again: the page is on from the start, with a new token.
    const relaunch = await world.launch();
    const app = relaunch.app;
    if (!app) throw new Error('the relaunch did not get the single-instance lock');
    expect(app.service.snapshot().webPage.status).toBe('serving');
    const again = new URL(readFileSync(linkFile, 'utf8').trim());
    expect(again.searchParams.get('token')).not.toBe(link.searchParams.get('token'));
    expect((await send(again.href, 'GET', {})).status).toBe(303);

    // Unticked: nothing needs the page any more, so it stops.
    const page = (await relaunch.desktop.window((url) => url.startsWith('app://ui/index.html') && !url.endsWith('#code'))).page;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const ticked = page.getByRole('region', { name: 'This computer' }).getByLabel(/^Keep the local web page on/);
    await expect.poll(() => ticked.isChecked(), { timeout: 30_000 }).toBe(true);
    await ticked.click();
    await expect.poll(() => ticked.isChecked(), { timeout: 30_000 }).toBe(false);
    await expect.poll(() => app.service.snapshot().webPage.status, { timeout: 30_000 }).toBe('off');
    expect(existsSync(linkFile)).toBe(false);
    expect(await answers(again.href)).toBe(false);
    expect(world.logText()).not.toContain(again.searchParams.get('token') ?? '?');
  }, 240_000);
});
