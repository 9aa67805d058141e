/**
 * A notification's link leads to the local page: the sync service's notifier, the daemon's page
 * host (src-main/web/page-for-service.ts) and a local fake of Pushover, over real HTTP. The page
 * starts for the episode, the pushed URL opens a session once, and the page stops once the episode
 * is over.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PageHost } from '../../src-main/web/page-for-service.js';
import { captureLogger } from '../support/capture-logger.js';
import { startFakeNotifyService } from '../support/fake-notify-services.js';
import { leakedSecrets } from './cli-harness.js';
import { openServiceWorld, type ServiceWorld } from './service-harness.js';
import { send } from './web-harness.js';

const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!done()) throw new Error(`${what} did not happen`);
}

describe("a notification's link and the local page", () => {
  it('starts the page for a code-needed episode, the pushed URL opens a session once, and the page stops when the episode ends', async () => {
    const fake = await startFakeNotifyService('pushover');
    cleanup.push(() => fake.close());
    const uiDir = mkdtempSync(join(tmpdir(), 'notify-page-ui-'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>iCloud Photo Sync</title>');
    cleanup.push(() => rmSync(uiDir, { recursive: true, force: true }));
    const log = captureLogger();
    let host: PageHost | null = null;
    const world: ServiceWorld = await openServiceWorld({ assets: 3 }, () => ({
      logger: log,
      notify: { endpoints: { pushover: fake.url }, page: (needed) => host?.want('notify', needed) ?? null },
    }));
    cleanup.push(() => world.close());
    host = new PageHost({ service: world.service, settings: { webAddress: '127.0.0.1', webPorts: '0', publicUrl: undefined }, dataDir: world.dataDir, logger: log, show: null, uiDir });
    cleanup.push(() => host?.stop());

    await world.ok({ type: 'save-notify-key', name: 'pushover-token', value: TOKEN });
    await world.ok({ type: 'save-notify-key', name: 'pushover-user', value: USER });
    await world.ok({ type: 'save-settings', values: { appleId: world.sim.account.appleId, syncFolder: world.folder, notifyChannels: ['pushover'] } });
    expect(await world.ok({ type: 'sign-in', appleId: world.sim.account.appleId, password: world.sim.account.password })).toEqual({ status: 'needs-code' });

    // The page was not running: the notification waited for it to start and links to it.
    // Saving the Apple ID before signing in may first announce "password needed" (its own link); the
    // code's notification is the one this test follows.
    const codeNotification = (r: (typeof fake.requests)[number]): boolean => typeof r.json?.url === 'string' && String(r.json?.title).includes('verification code');
    await until(() => fake.requests.some(codeNotification), 'the code notification');
    const pushed = String(fake.requests.find(codeNotification)?.json?.url);
    expect(pushed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/link\/[\w-]{20,}$/);
    const base = new URL(pushed).origin;

    const opened = await send(pushed, 'GET', {});
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/?from=code-needed');
    const cookie = String(opened.headers['set-cookie']?.[0]);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await send(`${base}/?from=code-needed`, 'GET', { cookie: cookie.split(';')[0] ?? '' });
    expect(page.status).toBe(200);
    expect((await send(pushed, 'GET', {})).status).toBe(410);

    // The code is typed; the episode closes and the page, started only for it, stops.
    const finished = world.nextRunFinished();
    expect(await world.ok({ type: 'submit-code', code: world.sim.code })).toEqual({ status: 'ready' });
    await finished;
    expect(world.service.notifier.openEpisodes).toEqual([]);
    let stopped = false;
    for (let i = 0; i < 250 && !stopped; i++) {
      stopped = await send(`${base}/`, 'GET', {}).then(() => false, () => true);
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(stopped).toBe(true);

    const link = pushed.split('/link/')[1] ?? '?';
    expect(leakedSecrets(log.text(), { TOKEN, USER, link, code: world.sim.code, password: world.sim.account.password })).toEqual([]);
  }, 60_000);
});
