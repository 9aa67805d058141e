/**
 * The local page as the daemon and the tray app host it (src-main/web/service-page.ts) in front of
 * a real sync service: kept on, it serves in the port range saved in the service's settings (a range
 * saved later is used by the next start), and stopping it removes its link file. And the page host
 * underneath: a page whose only reason went while it was still starting leaves nothing behind, so
 * the next reason gets a page that answers, not the closed one's address.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linkFilePath } from '../../src-main/web/link-file.js';
import { PageHost } from '../../src-main/web/page-for-service.js';
import { ServicePage } from '../../src-main/web/service-page.js';
import { captureLogger } from '../support/capture-logger.js';
import { occupiedRange } from '../support/occupied-ports.js';
import { openServiceWorld, type ServiceWorld } from './service-harness.js';
import { send } from './web-harness.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setUp(): Promise<{ world: ServiceWorld; uiDir: string; log: ReturnType<typeof captureLogger> }> {
  const uiDir = mkdtempSync(join(tmpdir(), 'service-page-ui-'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>iCloud Photo Sync</title>');
  cleanup.push(() => rmSync(uiDir, { recursive: true, force: true }));
  const log = captureLogger();
  const world = await openServiceWorld({ assets: 2 }, () => ({ logger: log }));
  cleanup.push(() => world.close());
  return { world, uiDir, log };
}

/** A range of `count` ports nothing listens on right now. */
async function freeRange(count: number): Promise<string> {
  const range = await occupiedRange(count);
  await range.release();
  return `${range.first}-${range.last}`;
}

const inRange = (url: string | null, range: string) => {
  const [first, last] = range.split('-').map(Number);
  const port = Number(new URL(url ?? '').port);
  return port >= (first ?? 0) && port <= (last ?? 0);
};

describe('ServicePage', () => {
  it('kept on, serves in the saved port range, picks up a range saved later at its next start, and stop removes the link', async () => {
    const { world, uiDir, log } = await setUp();
    const firstRange = await freeRange(5);
    await world.ok({ type: 'save-settings', values: { webPorts: firstRange } });
    const page = new ServicePage();
    page.attach(world.service, { dataDir: world.dataDir, logger: log, show: null, uiDir });
    cleanup.push(() => page.stop());

    const url = await page.setAlwaysOn(true);
    expect(inRange(url, firstRange)).toBe(true);
    expect(world.service.snapshot().webPage).toEqual({ status: 'serving', url: `${url}/`, message: null });
    expect((await send(`${url}/`, 'GET', {})).status).toBe(401);
    expect(existsSync(linkFilePath(world.dataDir))).toBe(true);

    const secondRange = await freeRange(5);
    await world.ok({ type: 'save-settings', values: { webPorts: secondRange } });
    expect(await page.setAlwaysOn(false)).toBeNull();
    await world.until((snapshot) => snapshot.webPage.status === 'off');
    const moved = await page.setAlwaysOn(true);
    expect(inRange(moved, secondRange)).toBe(true);

    await page.stop();
    expect(world.service.snapshot().webPage.status).toBe('off');
    expect(existsSync(linkFilePath(world.dataDir))).toBe(false);
    await expect(send(`${moved}/`, 'GET', {})).rejects.toThrow();
    // Stopped for good: no reason starts it again.
    expect(await page.setAlwaysOn(true)).toBeNull();
  }, 60_000);
});

describe('PageHost', () => {
  it('a page whose reason went while it started leaves no address behind: the next reason gets a live page', async () => {
    const { world, uiDir, log } = await setUp();
    const host = new PageHost({ service: world.service, settings: () => ({ webAddress: '127.0.0.1', webPorts: '0', publicUrl: undefined }), dataDir: world.dataDir, logger: log, show: null, uiDir });
    cleanup.push(() => host.stop());

    // A notification asks for the page and, at once, no longer needs it.
    const asked = host.want('notify', true);
    expect(host.want('notify', false)).toBeNull();
    expect(await asked).toBeNull();
    // It started (the promise settles once it has) and then closed.
    await expect.poll(() => world.service.snapshot().webPage.status).toBe('off');
    expect(existsSync(linkFilePath(world.dataDir))).toBe(false);

    const url = await host.want('code', true);
    expect(url).not.toBeNull();
    expect(world.service.snapshot().webPage.status).toBe('serving');
    expect((await send(`${url}/`, 'GET', {})).status).toBe(401);
  }, 60_000);
});
