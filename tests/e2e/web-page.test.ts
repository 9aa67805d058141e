/**
 * The product in a browser: Debian's Chromium against the real sync service, the real local web
 * server and the simulator, with real files and a real tracker. One person's story in order: the
 * first run from an empty data folder, Pause/Resume/Sync now, settings refused and saved, Restore
 * of a deleted file, and a later sign-in after Apple's trust expired. Screenshots of every view
 * in light and dark at 360 and 1024 px go to screenshots/<run>/ (git-ignored).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src-main/config/load-settings.js';
import { PageHost } from '../../src-main/web/page-for-service.js';
import { startWebServer, type WebServer } from '../../src-main/web/web-server.js';
import { openServiceWorld, type ServiceWorld } from '../integration/service-harness.js';
import { trackedFiles as trackedFilesOf } from '../integration/cli-harness.js';
import { captureLogger } from '../integration/client-auth-helpers.js';
import { launchChromium } from '../support/browser.js';
import { buildUi } from '../support/built-ui.js';
import { occupiedRange } from '../support/occupied-ports.js';
import { serveFolder } from '../support/static-server.js';
import { startFakeNotifyService, type FakeNotifyService } from '../support/fake-notify-services.js';
import type { SimAsset } from '../sim/library/index.js';

const RUN = new Date().toISOString().replace(/[:.]/g, '-');
const SHOTS = resolve('screenshots', RUN);

let uiDir: string;
let world: ServiceWorld;
let web: WebServer;
let browser: Browser;
let page: Page;
let pushover: FakeNotifyService;
let clip: SimAsset;
let bareClip: SimAsset;
const { logger, lines } = captureLogger();

beforeAll(async () => {
  uiDir = await buildUi();
  // A password source, as a desktop user who let the app remember it: a later sign-in needs only the code.
  pushover = await startFakeNotifyService('pushover');
  world = await openServiceWorld({ assets: 12, seed: 21 }, (sim) => ({ env: { ICLOUD_PHOTO_SYNC_PASSWORD: sim.account.password }, notify: { endpoints: { pushover: pushover.url } } }));
  // A video among the newest, for the duration on its tile in Recent arrivals.
  clip = world.sim.library.addAsset({ kind: 'mov', filename: 'CLIP_0001.MOV' });
  // And one for which iCloud has no thumbnail: its tile keeps the placeholder, with the length.
  bareClip = world.sim.library.addAsset({ kind: 'mov', filename: 'NO_THUMB.MOV', thumbnail: false });
  web = await startWebServer({ bridge: world.bridge, uiDir, ports: { first: 0, last: 0 }, logger, notificationLinks: (token) => world.service.notifier.links.verifyAndConsume(token) });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  // Runs and dry runs on a shared, loaded machine.
  page.setDefaultTimeout(60_000);
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await world?.close();
  await pushover?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

/** The current view in light and dark at 360 and 1024 px. */
async function shoot(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [360, 1024]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}-${width}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1024, height: 800 });
}

async function typeCode(code: string): Promise<void> {
  await page.getByLabel('Digit 1 of 6').focus();
  await page.keyboard.type(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

function syncedFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  if (existsSync(folder)) walk(folder);
  return found;
}

describe('the local web page in Chromium', () => {
  it('first run: sign in, code, folder, preview, start; the first sync finishes with thumbnails', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(web.link);
    expect(page.url()).toBe(web.url);
    await page.getByRole('heading', { name: 'Sign in to iCloud' }).waitFor();
    await shoot('first-run-sign-in');

    await page.getByLabel('Apple ID').fill(world.sim.account.appleId);
    await page.getByLabel('Password').fill(world.sim.account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enter the verification code' }).waitFor();
    await page.getByText('No code arrived?').click();
    await shoot('code-dialog');
    // "Text me instead": the masked trusted phones, and an SMS to the one chosen.
    const textMe = page.getByRole('group', { name: 'Text me instead' });
    await expect(textMe.getByRole('button').allInnerTexts()).resolves.toEqual(['Text +1 (•••) •••-••42', 'Text +44 ••••• ••••17']);
    await textMe.getByRole('button', { name: 'Text +44 ••••• ••••17' }).click();
    await page.getByText('A new code is on its way by text message.').waitFor();
    await page.getByText('Apple sent a 6-digit code by text message.').waitFor();
    expect(world.sim.deliveredCodes().at(-1)).toMatchObject({ channel: 'sms', phoneId: 2 });
    // The code pasted as people copy it ("123 456") into the first box spreads over all six.
    await page.getByLabel('Digit 1 of 6').evaluate((box, text) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text', text);
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, `${world.sim.code.slice(0, 3)} ${world.sim.code.slice(3)}`);
    const boxes = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => page.getByLabel(`Digit ${n} of 6`).inputValue()));
    expect(boxes.join('')).toBe(world.sim.code);
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Where should your photos go?' }).waitFor();
    await page.getByLabel('Sync folder (full path)').fill(world.folder);
    // Leaving the field checks the folder (nothing is saved yet).
    await page.keyboard.press('Tab');
    await page.getByText('This folder does not exist yet: it will be created.').waitFor();
    await page.getByText(/^Free space on its disk: \d/).waitFor();
    await shoot('first-run-folder');
    await page.getByRole('button', { name: 'Show what will be downloaded' }).click();
    await page.getByRole('heading', { name: 'Ready to download' }).or(page.getByRole('alert')).waitFor();
    expect(await page.locator('main').innerText()).toContain('Ready to download');
    const planned = Number(/^([1-9]\d*) items?,/.exec((await page.getByText(/^\d+ items?, /).textContent()) ?? '')?.[1]);
    expect(planned).toBeGreaterThan(0);
    await shoot('first-run-preview');
    expect(syncedFiles(world.folder)).toEqual([]);

    // While the run goes, the page shows its progress bar; keep every value it shows, to check it at the end.
    await page.evaluate(() => {
      const seen: Array<{ value: number; max: number; label: string }> = [];
      (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
      const record = () => {
        const bar = document.querySelector('[aria-label="Progress"] progress') as { value: number; max: number } | null;
        const label = document.querySelector('[aria-label="Progress"] label')?.textContent ?? '';
        if (bar) seen.push({ value: bar.value, max: bar.max, label });
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    // Each download answers after 400 ms, so the run lasts longer than the page's update interval
    // (at most 4 a second) and the bar is shown at least once however fast the machine is.
    world.sim.setFaults({ slowMs: 400 }, ['content']);
    const finished = world.nextRunFinished(60_000);
    await page.getByRole('button', { name: 'Start' }).click();
    const firstRun = await finished;
    world.sim.setFaults({ slowMs: 0 });
    expect(firstRun.outcome).toBe('success');
    await page.getByRole('heading', { name: 'Up to date' }).waitFor();
    // 100 %: the finished state shows every planned item downloaded, and every one is in the folder.
    await page.getByText(`: finished, ${planned} new`).waitFor();
    expect(firstRun.downloaded).toBe(planned);
    const downloaded = trackedFilesOf(world.trackerPath).filter((file) => file.state === 'downloaded');
    expect(downloaded).toHaveLength(planned);
    for (const file of downloaded) expect(existsSync(join(world.folder, ...file.relPath.split('/'))), file.relPath).toBe(true);
    // The bar the page showed never ran past its end, and counted towards the planned files.
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: Array<{ value: number; max: number; label: string }> }).progressSeen);
    expect(seen.length).toBeGreaterThan(0);
    for (const shown of seen) {
      expect(shown.value).toBeLessThanOrEqual(shown.max);
      const counted = /^Downloading (\d+) of (\d+) files/.exec(shown.label);
      if (counted) expect(Number(counted[2])).toBe(planned);
    }
    // Recent arrivals: Apple's thumbnails from the service's cache, decoded by the browser, one per asset.
    const arrivals = page.getByRole('region', { name: 'Recent arrivals' });
    const tiles = arrivals.getByRole('listitem');
    const images = arrivals.locator('img');
    await expect.poll(() => tiles.count()).toBeGreaterThan(2);
    // Every photo's tile ends up with its image, decoded; videos keep a placeholder (no thumbnail from Apple).
    const decoded = () => images.evaluateAll((all) => all.filter((img) => (img as unknown as { complete: boolean }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0).length);
    const videoTiles = arrivals.getByRole('listitem', { name: /, video / });
    await expect.poll(async () => (await decoded()) === (await tiles.count()) - (await videoTiles.count())).toBe(true);
    await expect.poll(() => decoded()).toBeGreaterThan(0);
    const clock = (total: number) => `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
    const bareTile = arrivals.getByRole('listitem', { name: /^NO_THUMB\.MOV, video / });
    await expect(bareTile.locator('img').count()).resolves.toBe(0);
    await expect(bareTile.getByRole('img', { name: 'NO_THUMB.MOV' }).isVisible()).resolves.toBe(true);
    await expect(bareTile.innerText()).resolves.toContain(clock(bareClip.duration ?? 0));
    // Apple renders no JPEG thumbnail for a video: its tile is the placeholder with the length.
    const clipTile = arrivals.getByRole('listitem', { name: /^CLIP_0001\.MOV, video / });
    await expect(clipTile.locator('img').count()).resolves.toBe(0);
    await expect(clipTile.innerText()).resolves.toContain(clock(clip.duration ?? 0));
    expect(syncedFiles(world.folder).length).toBeGreaterThan(0);
    await shoot('status');
    // Each tile can be reached with the keyboard, and says what it is.
    await tiles.first().focus();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')).resolves.toMatch(/, (photo|video).*, arrived /);
    expect(errors).toEqual([]);
  }, 180_000);

  it('Pause, Resume and Sync now', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('heading', { name: 'Paused' }).waitFor();
    await page.getByText('Paused until you resume', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    expect(world.service.snapshot().pause).toBeNull();

    const runs = world.service.snapshot().recentRuns.length;
    const finished = world.nextRunFinished(60_000);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const run = await finished;
    expect(run.outcome).toBe('success');
    // The run Sync now started is the newest of the recent runs, one more than before.
    expect(world.service.snapshot().recentRuns[0]?.id).toBe(run.id);
    expect(world.service.snapshot().recentRuns).toHaveLength(runs + 1);
    await page.getByRole('heading', { name: 'Up to date' }).waitFor();
    await expect.poll(() => page.locator('[aria-label="Recent syncs"] li').count()).toBe(world.service.snapshot().recentRuns.length);
  }, 120_000);

  it('a second page that cannot start (every port of its range in use) shows on the status view; syncing goes on', async () => {
    const ports = await occupiedRange(2);
    const host = new PageHost({
      service: world.service, settings: { webAddress: '127.0.0.1', webPorts: `${ports.first}-${ports.last}`, publicUrl: undefined },
      dataDir: world.dataDir, logger, show: null, uiDir,
    });
    try {
      expect(await host.want('web', true)).toBeNull();
      const region = page.getByRole('region', { name: 'Local web page' });
      await region.getByText(`every port from ${ports.first} to ${ports.last} on 127.0.0.1 is in use. Change the port range in Settings`).waitFor();
      await region.getByText('Syncing is not affected.').waitFor();
      await shoot('status-web-page-failed');
      const finished = world.nextRunFinished(60_000);
      await page.getByRole('button', { name: 'Sync now' }).click();
      expect((await finished).outcome).toBe('success');
    } finally {
      await host.stop();
      await ports.release();
    }
    await page.getByRole('region', { name: 'Local web page' }).waitFor({ state: 'detached' });
  }, 120_000);

  it('Settings refuse a bad schedule and a bad number next to the field, then save good ones that the CLI reads', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    // A folder this user cannot write in (here: its path goes through a file, which fails for root too).
    const file = join(world.folder, '..', 'not-a-folder.txt');
    writeFileSync(file, 'x');
    const folderField = page.getByLabel('Sync folder');
    await folderField.fill(join(file, 'Photos'));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: `${file} is a file, not a folder. Choose another folder.` }).waitFor();
    await expect(folderField.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(world.service.syncFolder).toBe(world.folder);
    await folderField.fill(world.folder);
    rmSync(file);
    const interval = page.getByLabel('Time between syncs');
    await interval.fill('5s');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'at least 10s' }).waitFor();
    await expect(interval.getAttribute('aria-invalid')).resolves.toBe('true');
    await shoot('settings-refused');

    await interval.fill('2h');
    await page.getByLabel('Parallel downloads').fill('99');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: '1 to 16' }).waitFor();
    const configFile = join(world.dataDir, 'config.json');
    expect(loadSettings({ env: {}, defaultConfigPath: configFile }).settings.interval).toBe('6h');

    await page.getByLabel('Parallel downloads').fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved to /).waitFor();
    const read = loadSettings({ env: {}, defaultConfigPath: configFile }).settings;
    expect(read.interval).toBe('2h');
    expect(read.concurrency).toBe(3);
    await shoot('settings');
  }, 60_000);

  it('the status warns that trust ends soon as many days ahead as Settings say', async () => {
    // Apple trusts this computer for 30 days here: no warning at the default 7 days, one at 30.
    const warning = page.getByText(/^Apple's trust in this computer ends .*: you will need a new code then\.$/);
    const warnDays = async (days: string) => {
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByLabel('Warn this many days before the sign-in ends').fill(days);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(/^Saved to /).waitFor();
      await page.getByRole('button', { name: 'Status' }).click();
    };
    await page.getByRole('button', { name: 'Status' }).click();
    await page.getByRole('heading', { name: 'Up to date' }).waitFor();
    await expect(warning.count()).resolves.toBe(0);
    await warnDays('30');
    await warning.waitFor();
    await warnDays('7');
    await warning.waitFor({ state: 'detached' });
  }, 60_000);

  it('Restore of a file deleted locally brings it back on the next run', async () => {
    const victim = syncedFiles(world.folder).sort()[0] ?? '';
    const size = statSync(victim).size;
    unlinkSync(victim);
    const noticed = world.nextRunFinished(60_000);
    await world.ok({ type: 'sync-now' });
    expect((await noticed).deletedNoticed).toBe(1);

    await page.getByRole('button', { name: 'Deleted' }).click();
    await page.getByRole('heading', { name: 'Deleted locally' }).waitFor();
    const name = victim.split('/').pop() ?? '';
    await page.getByLabel('Search').fill(name.slice(0, 6));
    await shoot('deleted');
    await page.getByRole('button', { name: new RegExp(`^Restore .*${name.replace('.', '\\.')}$`) }).click();
    await page.getByText('comes back on the next sync').waitFor();

    const back = world.nextRunFinished(60_000);
    await world.ok({ type: 'sync-now' });
    expect((await back).downloaded).toBe(1);
    expect(statSync(victim).size).toBe(size);
  }, 120_000);

  it('Notifications: a stored key is never shown back, Send test reports the channel status', async () => {
    const KEY = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const user = page.getByLabel('Pushover user key');
    await expect(user.getAttribute('placeholder')).resolves.toBe('not set');
    await page.getByRole('button', { name: 'Send test (Pushover)' }).click();
    await page.getByRole('status').filter({ hasText: 'pushover-token' }).waitFor();
    expect(pushover.requests).toHaveLength(0);

    await page.getByLabel('Pushover application token').fill('azGDORePK8gMaC0QOYAMyEEuzJnyUi');
    await page.getByRole('region', { name: 'Pushover notifications' }).getByRole('button', { name: 'Store key' }).first().click();
    await user.fill(KEY);
    await page.getByRole('region', { name: 'Pushover notifications' }).getByRole('button', { name: 'Store key' }).nth(1).click();
    await expect.poll(() => user.getAttribute('placeholder')).toBe('stored (type to replace)');
    await expect(user.inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain(KEY);

    pushover.answers = ['bad-user'];
    await page.getByRole('button', { name: 'Send test (Pushover)' }).click();
    await page.getByRole('status').filter({ hasText: 'pushover-user' }).waitFor();
    await page.getByRole('button', { name: 'Send test (Pushover)' }).click();
    await page.getByRole('status').filter({ hasText: 'Test sent.' }).waitFor();
    // A good test checks the keys, then sends a real test message.
    expect(pushover.requests.map((r) => r.path)).toEqual(['/1/users/validate.json', '/1/users/validate.json', '/1/messages.json']);

    // The channels are checkboxes, by keyboard; the page offers no desktop notifications and keeps the setting's desktop entry.
    const channels = page.getByRole('group', { name: 'Notification channels' });
    await expect(channels.getByRole('checkbox').count()).resolves.toBe(2);
    await expect(channels.getByRole('checkbox', { name: 'Pushover' }).isChecked()).resolves.toBe(false);
    await channels.getByRole('checkbox', { name: 'Pushover' }).focus();
    await page.keyboard.press('Space');
    await expect(channels.getByRole('checkbox', { name: 'Pushover' }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved to /).waitFor();
    expect(loadSettings({ env: {}, defaultConfigPath: join(world.dataDir, 'config.json') }).settings.notifyChannels).toEqual(['desktop', 'pushover']);
    await page.getByRole('heading', { name: 'Pushover (on)' }).waitFor();
    await shoot('settings-notifications');
  }, 60_000);

  it('after trust expired: needs you, a wrong code is refused with the tries left, the right code resumes', async () => {
    world.sim.expireTrust();
    world.sim.expireWebSessions();
    await page.getByRole('button', { name: 'Status' }).click();
    await world.ok({ type: 'sync-now' });
    await page.getByRole('heading', { name: 'Needs you' }).waitFor({ timeout: 60_000 });
    // The stored cookie still names a future trust end; Apple's trust has ended: no stale date.
    await page.getByText('Ended: enter the verification code to trust this computer again').waitFor();
    await shoot('status-needs-you');

    expect(world.service.snapshot()).toMatchObject({ errorCode: 'CODE_REQUIRED', nextRunAt: null, trustEndsAt: null, trustEndingSoon: false });
    // The person arrives from a notification's link: a new session, and the dialog says what brought them.
    const token = world.service.notifier.links.issue({ episodeId: 'code-needed:e2e', kind: 'code-needed' }, 3600_000);
    await page.goto(`${web.url}link/${token}`);
    expect(new URL(page.url()).search).toBe('?from=code-needed');
    await page.getByRole('button', { name: 'Enter code' }).click();
    await page.getByRole('heading', { name: 'Enter the verification code' }).waitFor();
    await page.getByText('You came from the notification "iCloud Photo Sync needs a verification code".').waitFor();
    await page.getByText('5 tries left for this sign-in.').waitFor();
    // Opening the dialog asked Apple to send the code the unattended sign-in could not ask for.
    await page.getByText('A new code was sent to your Apple devices.').waitFor();
    const wrong = world.sim.code === '000000' ? '111111' : '000000';
    await typeCode(wrong);
    await page.getByRole('alert').filter({ hasText: 'That verification code is not right' }).waitFor();
    await page.getByText('4 tries left for this sign-in.').waitFor();
    // Said once, not also in the refusal.
    await expect(page.locator('.code-dialog').getByText(/tries? left/).count()).resolves.toBe(1);
    await shoot('code-dialog-wrong');

    const finished = world.nextRunFinished(60_000);
    await typeCode(world.sim.code);
    await page.getByRole('heading', { name: /Up to date|Syncing/ }).waitFor();
    expect((await finished).outcome).toBe('success');
    await page.getByRole('heading', { name: 'Up to date' }).waitFor();
    expect(world.service.snapshot().nextRunAt).not.toBeNull();
    // Trusted again: the new estimate is shown.
    expect(world.service.snapshot().trustEndsAt).not.toBeNull();
    await expect(page.getByText('Ended: enter the verification code').count()).resolves.toBe(0);
  }, 180_000);

  it('set up again: a folder that cannot be written is refused; one an earlier download filled is recognised', async () => {
    const blocked = join(world.folder, '..', 'a-file.txt');
    writeFileSync(blocked, 'not a folder');
    const earlier = join(world.folder, '..', 'Earlier download');
    cpSync(world.folder, earlier, { recursive: true, filter: (path) => !path.endsWith('.icloud-photo-sync') });
    // Every file, those whose names begin with a dot too (the simulator has "../../evil.jpg").
    const copied = readdirSync(earlier, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
    expect(copied).toBeGreaterThan(0);
    try {
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByRole('button', { name: 'Set up again' }).click();
      const field = page.getByLabel('Sync folder (full path)');
      await field.fill(join(blocked, 'Photos'));
      await page.getByRole('button', { name: 'Show what will be downloaded' }).click();
      await page.getByText(`${join(blocked, 'Photos')} cannot be created: ${blocked} is a file, not a folder. Choose another folder.`).waitFor();
      await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
      await shoot('first-run-folder-refused');
      expect(world.service.syncFolder).toBe(world.folder);

      await field.fill(earlier);
      await page.keyboard.press('Tab');
      await page.getByText(`${copied} files are already in it`).waitFor();
      await shoot('first-run-folder-existing');
      await page.getByRole('button', { name: 'Show what will be downloaded' }).click();
      await page.getByRole('heading', { name: 'Ready to download' }).waitFor();
      await page.getByText(`${copied} files, kept (not downloaded again)`).waitFor();
      await page.getByText('Nothing: everything is already in the folder').waitFor();
      await shoot('first-run-preview-recognised');
    } finally {
      // Back to the story's folder and schedule (the folder step paused runs until Start).
      await world.ok({ type: 'save-settings', values: { syncFolder: world.folder } });
      await world.ok({ type: 'resume' });
      rmSync(earlier, { recursive: true, force: true });
      rmSync(blocked, { force: true });
    }
  }, 120_000);

  it('refuses the browser without the session, and a page on another origin that posts a form or a fetch', async () => {
    const stranger = await browser.newContext();
    try {
      const fresh = await stranger.newPage();
      const reply = await fresh.goto(web.url);
      expect(reply?.status()).toBe(401);
      await expect(fresh.locator('body').innerText()).resolves.toContain('Open the link iCloud Photo Sync printed');
    } finally {
      await stranger.close();
    }

    // Another port on 127.0.0.1 is the same site: the session cookie goes along, the Origin check stops it.
    const evilDir = mkdtempSync(join(tmpdir(), 'evil-'));
    writeFileSync(
      join(evilDir, 'index.html'),
      `<!doctype html><form id="f" method="post" enctype="text/plain" action="${web.url}api/command"><input name='{"type":"pause","until":null,"x":"' value='"}'></form>`,
    );
    const evil = await serveFolder(evilDir);
    const before = lines.filter((line) => line.includes('"reason":"foreign-origin"')).length;
    try {
      // The person's own tab (it holds the session cookie) wanders to another site.
      const attacker = page;
      await attacker.goto(evil.url);
      await attacker.evaluate(
        (target) => fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', body: JSON.stringify({ type: 'pause', until: null }) }).then(
            () => undefined,
            // The answer is withheld from the other site (Cross-Origin-Resource-Policy); the request went out.
            () => undefined,
          ),
        `${web.url}api/command`,
      );
      await Promise.all([attacker.waitForNavigation(), attacker.locator('#f').evaluate((form) => (form as unknown as { submit(): void }).submit())]);
      await expect(attacker.locator('body').innerText()).resolves.toContain('did not come from the iCloud Photo Sync page');
    } finally {
      await evil.close();
      rmSync(evilDir, { recursive: true, force: true });
    }
    expect(lines.filter((line) => line.includes('"reason":"foreign-origin"')).length).toBe(before + 2);
    expect(world.service.snapshot().pause).toBeNull();
  }, 60_000);
});
