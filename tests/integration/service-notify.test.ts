/**
 * The notifier inside the sync service, against the simulator and local fakes of Pushover and
 * ntfy: a needed code is announced with a link, a notification endpoint that never answers does
 * not change the sync (same summary as with notifications off), keys and codes stay out of the log,
 * and Settings' commands (save a key, Send test, status) work through the bridge.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunView } from '../../src-shared/snapshot.js';
import { captureLogger } from '../support/capture-logger.js';
import { startFakeNotifyService, type FakeNotifyService } from '../support/fake-notify-services.js';
import { leakedSecrets } from './cli-harness.js';
import { openServiceWorld, type ServiceWorld } from './service-harness.js';

const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

const worlds: ServiceWorld[] = [];
const fakes: FakeNotifyService[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
  for (const fake of fakes.splice(0)) await fake.close();
});

async function pushoverFake(): Promise<FakeNotifyService> {
  const fake = await startFakeNotifyService('pushover');
  fakes.push(fake);
  return fake;
}

/** Settings, then a sign-in that needs a code, the code, and the first run. */
async function signInAndSync(world: ServiceWorld, notify: Record<string, unknown>, beforeCode: () => Promise<void> = async () => {}): Promise<RunView> {
  await world.ok({ type: 'save-settings', values: { appleId: world.sim.account.appleId, syncFolder: world.folder, ...notify } });
  expect(await world.ok({ type: 'sign-in', appleId: world.sim.account.appleId, password: world.sim.account.password })).toEqual({ status: 'needs-code' });
  await world.until((s) => s.state === 'needs-you' && s.errorCode === 'CODE_REQUIRED');
  await beforeCode();
  const finished = world.nextRunFinished();
  expect(await world.ok({ type: 'submit-code', code: world.sim.code })).toEqual({ status: 'ready' });
  return finished;
}

describe('notifications in the sync service', () => {
  it('a notification endpoint that never answers leaves the sync as it is with notifications off; keys and the code stay out of the log', async () => {
    const off = await openServiceWorld({ assets: 12 });
    worlds.push(off);
    const plain = await signInAndSync(off, { notifyChannels: [] });

    const hanging = await pushoverFake();
    hanging.fallback = 'hang';
    const log = captureLogger();
    const on = await openServiceWorld({ assets: 12 }, () => ({ logger: log, notify: { endpoints: { pushover: hanging.url }, page: () => 'http://127.0.0.1:8731' } }));
    worlds.push(on);
    expect(await on.ok({ type: 'save-notify-key', name: 'pushover-token', value: TOKEN })).toEqual({ name: 'pushover-token', set: true });
    await on.ok({ type: 'save-notify-key', name: 'pushover-user', value: USER });
    // The person answers once the nudge reached their phone (the fake holds that request open).
    const notified = await signInAndSync(on, { notifyChannels: ['pushover'] }, async () => {
      while (!hanging.requests.some((r) => r.json?.priority === 1)) await new Promise((resolve) => setTimeout(resolve, 20));
    });

    // The code request is still held open by the fake: the run went on regardless.
    const codeRequest = hanging.requests.find((r) => r.json?.priority === 1)!.json!;
    expect(codeRequest).toMatchObject({ title: 'iCloud Photo Sync needs a verification code', ttl: 4 * 3600 });
    expect(codeRequest.url).toMatch(/^http:\/\/127\.0\.0\.1:8731\/link\//);
    const summary = (run: RunView) => ({ outcome: run.outcome, downloaded: run.downloaded, failed: run.failed, bytes: run.bytes, errorCode: run.errorCode });
    expect(summary(notified)).toEqual(summary(plain));
    expect(on.service.notifier.openEpisodes).toEqual([]);

    const link = (codeRequest.url as string).split('/link/')[1]!;
    expect(leakedSecrets(log.text(), { TOKEN, USER, code: on.sim.code, link, password: on.sim.account.password })).toEqual([]);
  }, 60_000);

  it('Settings: a key in the wrong format is refused naming it; Send test checks the keys and a refusal names the field; status keeps it', async () => {
    const fake = await pushoverFake();
    const world = await openServiceWorld({}, () => ({ notify: { endpoints: { pushover: fake.url } } }));
    worlds.push(world);
    const bad = await world.send({ type: 'save-notify-key', name: 'pushover-user', value: 'not-a-key' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(!bad.ok && bad.error.message).toContain('pushover-user');

    const missing = await world.ok({ type: 'send-test', channel: 'pushover' });
    expect(missing).toMatchObject({ ok: false, field: 'pushover-token' });
    expect(fake.requests).toHaveLength(0);

    await world.ok({ type: 'save-notify-key', name: 'pushover-token', value: TOKEN });
    await world.ok({ type: 'save-notify-key', name: 'pushover-user', value: USER });
    fake.answers = ['bad-user'];
    const refused = await world.ok({ type: 'send-test', channel: 'pushover' });
    expect(refused).toMatchObject({ ok: false, field: 'pushover-user', resetsAt: null });
    expect(fake.requests.map((r) => r.path)).toEqual(['/1/users/validate.json']);

    const status = await world.ok({ type: 'notification-status' });
    expect(status.channels.find((c) => c.channel === 'pushover')).toMatchObject({
      enabled: false, ok: false, field: 'pushover-user',
      keys: [{ name: 'pushover-token', set: true }, { name: 'pushover-user', set: true }],
    });
    expect(JSON.stringify(status)).not.toContain(TOKEN);

    expect(await world.ok({ type: 'send-test', channel: 'pushover' })).toEqual({ ok: true, message: '', field: null, resetsAt: null });
    expect(await world.ok({ type: 'save-notify-key', name: 'pushover-user', value: null })).toEqual({ name: 'pushover-user', set: false });
  });
});
