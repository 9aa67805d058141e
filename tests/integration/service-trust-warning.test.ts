/**
 * The status views' warning that Apple's trust ends soon follows the `trustWarningDays` setting
 * (the one the notification uses), through the real service, the simulator and a real sign-in.
 */
import { afterEach, expect, it } from 'vitest';
import { openServiceWorld, type ServiceWorld } from './service-harness.js';

const DAY_MS = 24 * 3600_000;
let world: ServiceWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('warns that trust ends soon as many days ahead as trustWarningDays says', async () => {
  // Apple trusts this computer for 10 days here: inside a 12-day warning, outside the default 7 days.
  world = await openServiceWorld({ trustTtlMs: 10 * DAY_MS });
  const w = world;
  await w.ok({ type: 'save-settings', values: { appleId: w.sim.account.appleId, syncFolder: w.folder } });
  await w.ok({ type: 'sign-in', appleId: w.sim.account.appleId, password: w.sim.account.password });
  await w.ok({ type: 'submit-code', code: w.sim.code });
  const signedIn = await w.until((s) => s.trustEndsAt !== null);
  const daysLeft = (Date.parse(signedIn.trustEndsAt!) - Date.now()) / DAY_MS;
  expect(daysLeft).toBeGreaterThan(9);
  expect(daysLeft).toBeLessThanOrEqual(10);
  expect(signedIn.trustEndingSoon).toBe(false);

  await w.ok({ type: 'save-settings', values: { trustWarningDays: 12 } });
  expect((await w.until((s) => s.trustEndingSoon)).trustEndsAt).toBe(signedIn.trustEndsAt);

  await w.ok({ type: 'save-settings', values: { trustWarningDays: 9 } });
  await w.until((s) => !s.trustEndingSoon);
}, 60_000);
