/**
 * The archive's settings in the app's Settings view, in Chromium against the real service, web
 * server, simulator and Azurite: the Archive tier is refused next to the field with why, the
 * connection string is stored and never shown back, and after "Sync now" the panel shows how the
 * archive went. Screenshots go to screenshots/<run>/ (git-ignored).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src-main/config/load-settings.js';
import { startWebServer, type WebServer } from '../../src-main/web/web-server.js';
import { openServiceWorld, signedInAndSynced, type ServiceWorld } from '../integration/service-harness.js';
import { captureLogger } from '../integration/client-auth-helpers.js';
import { trayModel } from '../../src-main/shell/tray-model.js';
import { listBlobs, startAzureProxy, startAzurite, type Azurite } from '../support/azurite.js';
import { launchChromium } from '../support/browser.js';
import { buildUi } from '../support/built-ui.js';

const SHOTS = resolve('screenshots', `archive-${new Date().toISOString().replace(/[:.]/g, '-')}`);

let uiDir: string;
let world: ServiceWorld;
let web: WebServer;
let browser: Browser;
let page: Page;
let azurite: Azurite;
const { logger } = captureLogger();

beforeAll(async () => {
  uiDir = await buildUi();
  azurite = await startAzurite();
  await azurite.service.getContainerClient('from-settings').create();
  world = await openServiceWorld({ assets: 5, seed: 5 });
  await signedInAndSynced(world);
  web = await startWebServer({ bridge: world.bridge, uiDir, ports: { first: 0, last: 0 }, logger, notificationLinks: () => null });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  page.setDefaultTimeout(60_000);
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await world?.close();
  await azurite?.stop();
  if (uiDir) rmSync(uiDir, { recursive: true, force: true });
});

describe('archive settings in the Settings view', () => {
  it('refuses the Archive tier with why, stores the connection string unseen, and shows the archive after a sync', async () => {
    await page.goto(web.link);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Off-site archive (Azure)' }).waitFor();
    await page.getByText('Off: turn on').waitFor();

    const tier = page.getByLabel('Archive: access tier (Hot, Cool, Cold)');
    await expect(tier.inputValue()).resolves.toBe('Cool');
    await tier.fill('Archive');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'rehydrated' }).waitFor();
    await expect(tier.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.screenshot({ path: join(SHOTS, 'archive-tier-refused.png'), fullPage: true });

    await tier.fill('Cold');
    await page.getByLabel('Archive to Azure Blob Storage after each sync').check();
    await page.getByLabel('Archive: how to sign in to Azure (identity, connection-string, sas-url)').fill('connection-string');
    await page.getByLabel('Archive: container').fill('from-settings');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved to /).waitFor();
    const saved = loadSettings({ env: {}, defaultConfigPath: join(world.dataDir, 'config.json') }).settings;
    expect(saved).toMatchObject({ archiveEnabled: true, archiveTier: 'Cold', archiveCredential: 'connection-string', archiveContainer: 'from-settings' });

    const secret = azurite.connectionString();
    const field = page.getByLabel(/^Connection string/);
    await field.fill(secret);
    await page.getByRole('button', { name: 'Store', exact: true }).first().click();
    await expect.poll(() => field.getAttribute('placeholder')).toBe('stored (type to replace)');
    expect(await page.content()).not.toContain('AccountKey');

    const finished = world.nextRunFinished(60_000);
    await world.ok({ type: 'sync-now' });
    await finished;
    await page.getByRole('definition').filter({ hasText: /^Archived, / }).waitFor();
    await page.getByText('On: new files go to your blob container').waitFor();
    const blobs = await listBlobs(azurite.service.getContainerClient('from-settings'));
    expect(blobs.length).toBeGreaterThan(0);
    // Azurite 3.35 keeps Cold as it was asked.
    expect(blobs.every((b) => b.properties.accessTier === 'Cold')).toBe(true);
    await page.getByRole('heading', { name: 'Off-site archive (Azure)' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'archive-settings.png'), fullPage: true });
  }, 120_000);

  it('says "Archiving to Azure · N of M files" with its progress while the stage runs after a sync, in the page and the tray', async () => {
    // Through a proxy that holds every upload once one file is done: the stage stays at "1 of 3".
    const proxy = await startAzureProxy(azurite.origin);
    try {
      await world.ok({ type: 'save-settings', values: { archiveConcurrency: 1 } });
      await world.ok({ type: 'save-archive-secret', name: 'archive-connection-string', value: azurite.connectionString(proxy.origin) });
      proxy.intercept = ({ method }) => (method === 'PUT' && (world.service.snapshot().archive.progress?.filesDone ?? 0) >= 1 ? 'hold' : null);
      for (const name of ['ARCHIVE_A.JPG', 'ARCHIVE_B.JPG', 'ARCHIVE_C.JPG']) world.sim.library.addAsset({ filename: name });
      await page.getByRole('button', { name: 'Status', exact: true }).click();
      const finished = world.nextRunFinished(90_000);
      await world.ok({ type: 'sync-now' });
      await proxy.held;

      await page.getByRole('heading', { name: 'Archiving to Azure', exact: true }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Archiving to Azure · 1 of 3 files' }).waitFor();
      const panel = page.getByLabel('Archive progress');
      await panel.getByText('Uploading 1 of 3 files to Azure').waitFor();
      await expect(panel.locator('progress').evaluate((bar: HTMLProgressElement) => bar.value > 0 && bar.value < bar.max)).resolves.toBe(true);
      expect(await page.getByText('Syncing your photos').count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, 'archive-progress.png'), fullPage: true });

      const snapshot = await world.bridge.getSnapshot();
      expect(snapshot).toMatchObject({ state: 'syncing', progress: null, archive: { running: true, progress: { filesDone: 1, filesTotal: 3 } } });
      expect(trayModel(snapshot, Date.now()).tooltip).toMatch(/^iCloud Photo Sync: Archiving to Azure · 1 of 3 files \(\d+%\)$/);

      // The dropped upload is retried and goes through: the stage ends, the view leaves "Archiving".
      proxy.intercept = null;
      proxy.dropHeld();
      expect((await finished).outcome).toBe('success');
      const after = await world.until((s) => !s.archive.running);
      expect(after.archive.lastRun).toMatchObject({ outcome: 'success', uploaded: 3, failed: 0 });
      await page.getByRole('heading', { name: 'Up to date', exact: true }).waitFor();
      expect(await page.getByLabel('Archive progress').count()).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
