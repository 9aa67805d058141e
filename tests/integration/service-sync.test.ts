import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appEventSchema } from '../../src-shared/contract.js';
import { leakedSecrets, storedSessionSecrets, trackedFiles } from './cli-harness.js';
import { openServiceWorld, signedInAndSynced, type ServiceWorld } from './service-harness.js';

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('sync service against the simulator', () => {
  it('first sign-in to first sync: not set up -> needs a code -> wrong code counted -> trusted -> files on disk -> up to date', async () => {
    world = await openServiceWorld();
    const w = world;
    expect(w.service.snapshot()).toMatchObject({ state: 'not-set-up', action: 'open-settings' });

    await w.ok({ type: 'save-settings', values: { appleId: w.sim.account.appleId, syncFolder: w.folder } });
    expect(readFileSync(join(w.folder, '.icloud-photo-sync'), 'utf8')).toContain('icloud-photo-sync');
    // No session yet and no password source: the first run says a sign-in is needed, and waits.
    const waiting = await w.until((s) => s.state === 'needs-you');
    expect(waiting).toMatchObject({ action: 'sign-in', nextRunAt: null });

    expect(await w.ok({ type: 'sign-in', appleId: w.sim.account.appleId, password: w.sim.account.password })).toEqual({ status: 'needs-code' });
    // The device push was asked for explicitly; the masked phones are listed.
    expect(w.sim.deliveredCodes().map((d) => d.channel)).toEqual(['device']);
    const needsCode = w.service.snapshot();
    expect(needsCode).toMatchObject({ state: 'needs-you', errorCode: 'CODE_REQUIRED', action: 'enter-code' });
    expect(needsCode.signIn).toMatchObject({ status: 'needs-code', codeSentTo: 'device', attemptsLeft: 5, hasTrustedDevices: true });
    expect(needsCode.signIn.phones.length).toBeGreaterThan(0);

    const wrong = await w.send({ type: 'submit-code', code: w.sim.code === '000000' ? '111111' : '000000' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_CODE' } });
    expect(!wrong.ok && wrong.error.message).toContain('4 tries left');
    expect(w.service.snapshot().signIn.attemptsLeft).toBe(4);

    const finished = w.nextRunFinished();
    expect(await w.ok({ type: 'submit-code', code: w.sim.code })).toEqual({ status: 'ready' });
    const run = await finished;
    expect(run).toMatchObject({ outcome: 'success', errorCode: null });
    expect(run.downloaded).toBeGreaterThan(0);

    const files = trackedFiles(w.trackerPath).filter((f) => f.state === 'downloaded');
    expect(files).toHaveLength(run.downloaded);
    for (const file of files) {
      expect(readFileSync(join(w.folder, ...file.relPath.split('/'))).equals(w.sim.library.contentOf(file.fileChecksum)!.read())).toBe(true);
    }
    const snapshot = await w.until((s) => s.state === 'up-to-date');
    expect(snapshot.counts.photos + snapshot.counts.videos).toBeGreaterThan(0);
    expect(snapshot.lastRun?.id).toBe(run.id);
    expect(snapshot.lastSuccessAt).not.toBeNull();
    expect(snapshot.trustEndsAt).not.toBeNull();
    expect(snapshot.trustEndingSoon).toBe(false);
    expect(Date.parse(snapshot.nextRunAt!) - Date.now()).toBeGreaterThan(5 * 3600_000);
    expect(snapshot.recentArrivals.length).toBeGreaterThan(0);

    // Every event is valid by the contract, progress and arrivals were among them, and no secret is in any.
    for (const event of w.events) expect(appEventSchema.safeParse(event).success, event.type).toBe(true);
    expect(w.events.some((e) => e.type === 'progress')).toBe(true);
    expect(w.events.some((e) => e.type === 'files-arrived')).toBe(true);
    const secrets = { password: w.sim.account.password, code: w.sim.code, ...storedSessionSecrets(w.dataDir) };
    expect(leakedSecrets(JSON.stringify(w.events), secrets)).toEqual([]);
  }, 60_000);

  it('trust expired mid-life: the run stops for a code, no run meanwhile, the code resumes the schedule', async () => {
    // The password is at hand (the environment source), so only a code needs the person.
    world = await openServiceWorld({}, (sim) => ({ env: { ICLOUD_PHOTO_SYNC_PASSWORD: sim.account.password } }));
    const w = world;
    await signedInAndSynced(w);
    w.sim.expireTrust();
    w.sim.expireWebSessions();

    const stopped = w.nextRunFinished();
    expect(await w.ok({ type: 'sync-now' })).toEqual({ started: true, reason: null });
    expect(await stopped).toMatchObject({ errorCode: 'CODE_REQUIRED' });
    const needsCode = await w.until((s) => s.state === 'needs-you');
    expect(needsCode).toMatchObject({ errorCode: 'CODE_REQUIRED', nextRunAt: null, action: 'enter-code' });
    expect(needsCode.signIn).toMatchObject({ status: 'needs-code', attemptsLeft: 5 });
    expect(await w.ok({ type: 'sync-now' })).toEqual({ started: false, reason: 'needs-sign-in' });

    expect(await w.ok({ type: 'request-code', channel: 'device' })).toEqual({ sentTo: 'device' });
    const resumed = w.nextRunFinished();
    expect(await w.ok({ type: 'submit-code', code: w.sim.code })).toEqual({ status: 'ready' });
    expect((await resumed).outcome).toBe('success');
    const after = await w.until((s) => s.state === 'up-to-date');
    expect(after.nextRunAt).not.toBeNull();
    expect(after.signIn.status).toBe('ready');
  }, 90_000);

  it("counts code tries itself and stops sending codes after five; a new sign-in gets new tries", async () => {
    world = await openServiceWorld({ assets: 2, maxCodeAttempts: 10 });
    const w = world;
    await w.ok({ type: 'save-settings', values: { appleId: w.sim.account.appleId, syncFolder: w.folder } });
    await w.until((s) => s.state === 'needs-you');
    await w.ok({ type: 'sign-in', appleId: w.sim.account.appleId, password: w.sim.account.password });
    const wrongCode = w.sim.code === '000000' ? '111111' : '000000';
    const verifyCalls = () => w.sim.requestLog().filter((e) => e.method === 'POST' && e.path.endsWith('/verify/trusteddevice/securitycode')).length;
    for (let left = 4; left >= 0; left--) {
      const reply = await w.send({ type: 'submit-code', code: wrongCode });
      expect(reply).toMatchObject({ ok: false, error: { code: 'WRONG_CODE' } });
      expect(w.service.snapshot().signIn.attemptsLeft).toBe(left);
    }
    expect(verifyCalls()).toBe(5);
    const refused = await w.send({ type: 'submit-code', code: w.sim.code });
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    expect(!refused.ok && refused.error.message).toContain('sign in again');
    expect(verifyCalls()).toBe(5);

    // A new sign-in gets new tries.
    await w.ok({ type: 'sign-in', appleId: w.sim.account.appleId, password: w.sim.account.password });
    expect(w.service.snapshot().signIn.attemptsLeft).toBe(5);
  }, 60_000);

  it("shows Apple's code lockout plainly and as needs-you", async () => {
    world = await openServiceWorld({ assets: 2, maxCodeAttempts: 1 });
    const w = world;
    await w.ok({ type: 'save-settings', values: { appleId: w.sim.account.appleId, syncFolder: w.folder } });
    await w.until((s) => s.state === 'needs-you');
    await w.ok({ type: 'sign-in', appleId: w.sim.account.appleId, password: w.sim.account.password });
    const wrongCode = w.sim.code === '000000' ? '111111' : '000000';
    expect(await w.send({ type: 'submit-code', code: wrongCode })).toMatchObject({ ok: false, error: { code: 'WRONG_CODE' } });
    const locked = await w.send({ type: 'submit-code', code: wrongCode });
    expect(locked).toMatchObject({ ok: false, error: { code: 'CODE_LOCKED' } });
    expect(!locked.ok && locked.error.message).toContain('Too many wrong verification codes');
    expect(w.service.snapshot()).toMatchObject({ state: 'needs-you', errorCode: 'CODE_LOCKED', action: 'sign-in', signIn: { status: 'failed' } });
  }, 60_000);
});
