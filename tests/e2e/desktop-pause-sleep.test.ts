/**
 * Pause from the tray, then the laptop sleeps through the end of the pause: on wake (powerMonitor
 * "resume") the app catches up at once instead of waiting for its next timer. The app runs on a
 * clock the test moves (ten times real speed while awake, so the service's throttled updates
 * flow), and "asleep for 40 minutes" takes no real time.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock.js';
import { openDesktopWorld, signedInAndSynced, type DesktopWorld } from './desktop-world.js';

const MINUTE = 60_000;
let world: DesktopWorld;
const clock = new ManualClock(Date.now());
let awake = true;
let ticking: Promise<void> = Promise.resolve();

/** Time moves on while the machine is awake; timers fire as they fall due. */
function wake(): void {
  awake = true;
  ticking = (async () => {
    while (awake) {
      await clock.advance(250);
      await delay(25);
    }
  })();
}

async function fallAsleep(): Promise<void> {
  awake = false;
  await ticking;
}

beforeAll(async () => {
  wake();
  world = await openDesktopWorld({ clock });
  await signedInAndSynced(world);
}, 180_000);

afterAll(async () => {
  await fallAsleep();
  await world?.close();
});

describe('the tray app paused, asleep and awake', () => {
  it('Pause ▸ 30 minutes from the tray pauses until then; the menu offers Resume', async () => {
    const clicked = clock.now();
    world.desktop.tray().menu?.click('Pause', '30 minutes');
    const paused = await world.until((s) => s.state === 'paused');
    const until = Date.parse(paused.pause?.until ?? '');
    expect(until - clicked).toBeGreaterThanOrEqual(30 * MINUTE);
    expect(until - clicked).toBeLessThan(31 * MINUTE);
    await expect.poll(() => world.desktop.tray().toolTip).toMatch(/^iCloud Photo Sync: Paused · until .*\d{1,2}:\d{2}/);
    expect(world.desktop.tray().image).toMatch(/paused-(light|dark)-\d+\.png$/);
    const resume = world.desktop.tray().menu?.byId('resume');
    expect(resume?.label).toBe('Resume');
    // Electron treats a missing `enabled` as enabled; the shell always sets it.
    expect(resume?.enabled).toBe(true);
    expect(world.desktop.tray().menu?.byId('pause')).toBeUndefined();
    await world.shootTray('paused');
    world.desktop.tray().menu?.click('Open iCloud Photo Sync');
    const page = await world.mainPage('status');
    await page.getByRole('heading', { name: 'Paused' }).waitFor({ timeout: 60_000 });
  }, 120_000);

  it('asleep overnight past the end of the pause and the next sync: on wake the app syncs at once', async () => {
    const runs = world.app.service.snapshot().recentRuns.length;
    await fallAsleep();
    // 7 hours asleep (the schedule is every 6 h): no timer fires, the pause's end and the due sync pass unnoticed.
    clock.sleep(7 * 60 * MINUTE);
    expect(world.app.service.snapshot().state).toBe('paused');
    const finished = world.nextRunFinished(60_000);
    world.desktop.electron.powerMonitor.sleepAndWake();
    // The wake alone started the run: the clock has not moved since.
    expect(world.app.service.snapshot().state).toBe('syncing');
    wake();
    expect((await finished).outcome).toBe('success');
    const after = await world.until((s) => s.state === 'up-to-date', 60_000);
    expect(after.pause).toBeNull();
    expect(after.recentRuns.length).toBeGreaterThan(runs);
  }, 120_000);
});
