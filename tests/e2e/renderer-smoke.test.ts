import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { serveFolder } from '../support/static-server.js';

describe('renderer in Chromium', () => {
  let outDir: string;
  let server: Awaited<ReturnType<typeof serveFolder>>;
  let browser: Browser;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'ips-renderer-'));
    await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    server = await serveFolder(outDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('opens the Vite-built page, explains that no engine is attached, and switches to Settings', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'iCloud Photo Sync' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('status').textContent()).resolves.toContain('sync engine is not running');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByText('Sync folder').waitFor();
    await expect(page.getByRole('button', { name: 'Settings' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByText('Not chosen').isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });
});
