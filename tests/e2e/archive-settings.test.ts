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
import { listBlobs, startAzurite, type Azurite } from '../support/azurite.js';
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
});
