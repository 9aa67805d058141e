/**
 * The sign-in audit trail through the real paths: the page over HTTP, the service's own views and
 * its unattended sign-ins, and the CLI's `auth` in a child process. Every step shows up as an
 * `event: "sign-in-audit"` line with its source, and no code, password, token or cookie reaches
 * the log (checked against the actual values).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogger } from '../support/capture-logger.js';
import { leakedSecrets, openCliWorld, storedSessionSecrets, type CliWorld } from './cli-harness.js';
import { openServiceWorld, simClientFactory, type ServiceWorld } from './service-harness.js';
import { openWebWorld, type WebWorld } from './web-harness.js';

interface AuditLine {
  step: string;
  source?: string;
  code?: string;
  channel?: string;
  attemptsLeft?: number;
}

/** The audit lines of a log, in order (JSON objects with `"event":"sign-in-audit"`). */
function auditOf(text: string): AuditLine[] {
  return [...text.matchAll(/\{[^{}]*"event":"sign-in-audit"[^{}]*\}/g)].map((match) => JSON.parse(match[0]) as AuditLine);
}

const steps = (lines: AuditLine[]) => lines.map((line) => line.step);

let web: WebWorld | undefined;
let service: ServiceWorld | undefined;
let cli: CliWorld | undefined;

afterEach(async () => {
  await web?.close();
  await service?.close();
  await cli?.close();
  web = service = cli = undefined;
});

describe('sign-in audit trail', () => {
  it('records every step of a sign-in from the page, and page refusals in the web log, without secrets', async () => {
    const log = captureLogger();
    web = await openWebWorld({}, () => ({ logger: log, signInSource: 'daemon' }));
    const { world } = web;
    const cookie = await web.signIn();
    await world.ok({ type: 'save-settings', values: { appleId: world.sim.account.appleId, syncFolder: world.folder } });
    const signIn = await web.command(cookie, { type: 'sign-in', appleId: world.sim.account.appleId, password: world.sim.account.password });
    expect(JSON.parse(signIn.body)).toMatchObject({ ok: true, result: { status: 'needs-code' } });
    const wrong = world.sim.code === '000000' ? '111111' : '000000';
    expect(JSON.parse((await web.command(cookie, { type: 'submit-code', code: wrong })).body)).toMatchObject({ ok: false, error: { code: 'WRONG_CODE' } });
    // A page refusal (no custom header) never reaches the service: the web layer logs why.
    const refused = await web.post('/api/command', JSON.stringify({ type: 'submit-code', code: world.sim.code }), { cookie, origin: `http://${web.host}` });
    expect(refused.status).toBe(403);
    expect(JSON.parse((await web.command(cookie, { type: 'submit-code', code: world.sim.code })).body)).toMatchObject({ ok: true, result: { status: 'ready' } });

    const page = auditOf(log.text()).filter((line) => line.source === 'page');
    expect(steps(page)).toEqual([
      'password-submitted', 'code-needed', 'code-requested', 'code-sent',
      'code-submitted', 'code-refused', 'code-submitted', 'code-accepted', 'signed-in',
    ]);
    expect(page.find((line) => line.step === 'code-sent')).toMatchObject({ channel: 'device' });
    expect(page.find((line) => line.step === 'code-refused')).toMatchObject({ code: 'WRONG_CODE' });
    expect(web.lines.join('\n')).toContain('"reason":"missing-header"');

    const everything = `${log.text()}\n${web.lines.join('\n')}`;
    const token = new URL(web.web.link).searchParams.get('token') ?? undefined;
    expect(leakedSecrets(everything, {
      password: world.sim.account.password, code: world.sim.code, wrong, token, cookie: cookie.split('=')[1],
      ...storedSessionSecrets(world.dataDir),
    })).toEqual([]);
  });

  it('records the desktop app\'s sign-in: a wrong password, a code that timed out, then a code by SMS', async () => {
    const log = captureLogger();
    service = await openServiceWorld({}, (sim) => ({ logger: log, signInSource: 'desktop', clientFactory: simClientFactory(sim, { codeWindowMs: 1_000 }) }));
    const world = service;
    await world.ok({ type: 'save-settings', values: { appleId: world.sim.account.appleId, syncFolder: world.folder } });
    const typo = `${world.sim.account.password}-typo`;
    expect(await world.send({ type: 'sign-in', appleId: world.sim.account.appleId, password: typo })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    await world.ok({ type: 'sign-in', appleId: world.sim.account.appleId, password: world.sim.account.password });
    // Nobody types the code: once the code window has passed the trail says so.
    await vi.waitFor(() => expect(steps(auditOf(log.text()))).toContain('code-timed-out'), { timeout: 10_000 });
    const phone = (await world.bridge.getSnapshot()).signIn.phones[0];
    expect(phone).toBeDefined();
    await world.ok({ type: 'request-code', channel: 'sms', phoneId: phone?.id });
    await world.ok({ type: 'submit-code', code: world.sim.code });

    const desktop = auditOf(log.text());
    expect(desktop.every((line) => line.source === 'desktop')).toBe(true);
    // (A loaded machine may let the SMS code's own window pass too before it is typed: only the first timeout is checked.)
    expect(steps(desktop).filter((step) => step !== 'code-timed-out')).toEqual([
      'password-submitted', 'sign-in-failed', 'password-submitted', 'code-needed', 'code-requested', 'code-sent',
      'code-requested', 'code-sent', 'code-submitted', 'code-accepted', 'signed-in',
    ]);
    const timedOut = steps(desktop).indexOf('code-timed-out');
    expect(steps(desktop).slice(timedOut - 2, timedOut + 2)).toEqual(['code-requested', 'code-sent', 'code-timed-out', 'code-requested']);
    expect(desktop.filter((line) => line.step === 'code-sent').map((line) => line.channel)).toEqual(['device', 'sms']);
    expect(desktop.find((line) => line.step === 'sign-in-failed')).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(log.text()).not.toContain(phone?.number ?? '?');
    expect(leakedSecrets(log.text(), { password: world.sim.account.password, typo, code: world.sim.code, ...storedSessionSecrets(world.dataDir) })).toEqual([]);
  });

  it('records the daemon\'s own sign-in when trust expired (no page, no person)', async () => {
    const log = captureLogger();
    service = await openServiceWorld({}, (sim) => ({
      logger: log,
      signInSource: 'daemon',
      passwordSource: () => ({ read: () => Promise.resolve(sim.account.password) }),
    }));
    const world = service;
    await world.ok({ type: 'save-settings', values: { appleId: world.sim.account.appleId, syncFolder: world.folder } });
    await world.until((snapshot) => snapshot.signIn.status === 'needs-code');
    const daemon = auditOf(log.text());
    expect(steps(daemon)).toEqual(['password-submitted', 'code-needed']);
    expect(daemon.every((line) => line.source === 'daemon')).toBe(true);
    expect(leakedSecrets(log.text(), { password: world.sim.account.password })).toEqual([]);
  });

  it('records the CLI\'s auth (a wrong code, then the right one) in cli.log, without secrets', async () => {
    cli = await openCliWorld({ assets: 3, seed: 11 });
    const wrong = cli.sim.code === '000000' ? '111111' : '000000';
    const result = await cli.cli(['auth'], { env: { ICLOUD_PHOTO_SYNC_PASSWORD: cli.sim.account.password }, input: `${wrong}\n${cli.sim.code}\n` });
    expect(result.exitCode).toBe(0);
    const text = cli.logText();
    const trail = auditOf(text);
    expect(trail.every((line) => line.source === 'cli')).toBe(true);
    expect(steps(trail)).toEqual([
      'password-submitted', 'code-needed', 'code-requested', 'code-sent',
      'code-submitted', 'code-refused', 'code-submitted', 'code-accepted', 'signed-in',
    ]);
    expect(leakedSecrets(text, { password: cli.sim.account.password, code: cli.sim.code, wrong, ...storedSessionSecrets(cli.dataDir) })).toEqual([]);
  });
});
