/**
 * The notifier's episodes on a manual clock, sending through the real channels to local fakes of
 * Pushover and ntfy over HTTP: each episode announced once (also across a restart), reminders on
 * time, closed on resolution, nothing sent by a channel that is off, no key in any log line, and
 * single-use link tokens that survive a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretsStore } from '../../src-main/config/secrets-store.js';
import { settingsSchema } from '../../src-main/config/settings.js';
import { LinkTokenStore } from '../../src-main/notify/link-tokens.js';
import { Notifier, LINK_TTL_MS } from '../../src-main/notify/notifier.js';
import { notifyConfigOf, type NotifyConfig } from '../../src-main/notify/notify-settings.js';
import { INITIAL_SNAPSHOT, type AppSnapshot } from '../../src-shared/snapshot.js';
import { captureLogger } from '../support/capture-logger.js';
import { startFakeNotifyService, type FakeNotifyService } from '../support/fake-notify-services.js';
import { ManualClock } from '../support/manual-clock.js';

const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
const NTFY_TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const PUBLIC_URL = 'http://mypc.lan:8731';

let dataDir: string;
let pushover: FakeNotifyService;
let ntfy: FakeNotifyService;
let clock: ManualClock;
let log: ReturnType<typeof captureLogger>;
let settings: Record<string, unknown>;
const running: Notifier[] = [];
const pageCalls: boolean[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'notify-'));
  pushover = await startFakeNotifyService('pushover');
  ntfy = await startFakeNotifyService('ntfy');
  clock = new ManualClock();
  log = captureLogger();
  pageCalls.length = 0;
  const secrets = new SecretsStore(dataDir, {});
  secrets.set('pushover-token', TOKEN);
  secrets.set('pushover-user', USER);
  secrets.set('ntfy-token', NTFY_TOKEN);
  settings = { notifyChannels: ['pushover', 'ntfy'], ntfyServer: ntfy.url, ntfyTopic: 'photos-a8Kq2', publicUrl: PUBLIC_URL, notifyReminder: '4h' };
});

afterEach(async () => {
  for (const notifier of running.splice(0)) notifier.stop();
  await pushover.close();
  await ntfy.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function config(): NotifyConfig {
  return notifyConfigOf(settingsSchema.parse(settings));
}

/** A notifier over the data folder, as a (re)started service makes it. */
function startNotifier(): Notifier {
  const notifier = new Notifier({
    dataDir,
    clock,
    logger: log,
    config,
    channels: { secrets: new SecretsStore(dataDir, {}), desktop: null, endpoints: { pushover: pushover.url } },
    page: (needed) => {
      pageCalls.push(needed);
      return 'http://127.0.0.1:8731';
    },
  });
  running.push(notifier);
  return notifier;
}

function restart(notifier: Notifier): Notifier {
  notifier.stop();
  return startNotifier();
}

function snapshot(overrides: Partial<AppSnapshot>): AppSnapshot {
  return { ...INITIAL_SNAPSHOT, state: 'up-to-date', appleId: 'someone@example.com', ...overrides };
}

const NEEDS_CODE = snapshot({ state: 'needs-you', errorCode: 'CODE_REQUIRED', signIn: { ...INITIAL_SNAPSHOT.signIn, status: 'needs-code' } });
const SIGNED_IN = snapshot({ state: 'up-to-date', signIn: { ...INITIAL_SNAPSHOT.signIn, status: 'ready' } });

const titles = (fake: FakeNotifyService) => fake.requests.map((r) => (r.json?.title as string | undefined) ?? r.headers.title);
const linkOf = (url: string) => url.slice(`${PUBLIC_URL}/link/`.length);

describe('episodes', () => {
  it('a needed code is announced at once on every channel, once across a restart, reminded once on time, and closed by the sign-in', async () => {
    let notifier = startNotifier();
    notifier.observe(NEEDS_CODE);
    notifier.observe(NEEDS_CODE);
    await notifier.idle();
    expect(titles(pushover)).toEqual(['iCloud Photo Sync needs a verification code']);
    expect(pushover.requests[0]!.json).toMatchObject({ priority: 1, ttl: 4 * 3600, url_title: 'Enter the code' });
    expect(titles(ntfy)).toEqual(['iCloud Photo Sync needs a verification code']);
    expect(ntfy.requests[0]!.headers.priority).toBe('high');

    notifier = restart(notifier);
    notifier.observe(NEEDS_CODE);
    await clock.advance(4 * HOUR - 1);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(1);

    await clock.advance(1);
    await notifier.idle();
    expect(titles(pushover)).toEqual(['iCloud Photo Sync needs a verification code', 'Reminder: iCloud Photo Sync needs a verification code']);
    // The reminder carries a link token of its own.
    const [first, second] = pushover.requests.map((r) => r.json!.url as string);
    expect(first).toMatch(/^http:\/\/mypc\.lan:8731\/link\/[A-Za-z0-9_-]{32}$/);
    expect(second).not.toBe(first);
    await clock.advance(DAY);
    notifier = restart(notifier);
    notifier.observe(NEEDS_CODE);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(2);

    notifier.observe(SIGNED_IN);
    expect(notifier.openEpisodes).toEqual([]);
    expect(pageCalls.at(-1)).toBe(false);
    // The closed episode's links open nothing any more.
    expect(notifier.links.verifyAndConsume(linkOf(second!))).toBeNull();
    // A later code request is a new episode.
    notifier.observe(NEEDS_CODE);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(3);
  });

  it('trust ending: announced N days before and again the day before, each once across restarts; closed by a new sign-in', async () => {
    settings.trustWarningDays = 7;
    const end = clock.now() + 10 * DAY;
    const trusted = snapshot({ trustEndsAt: new Date(end).toISOString(), signIn: { ...INITIAL_SNAPSHOT.signIn, status: 'ready' } });
    let notifier = startNotifier();
    notifier.observe(trusted);
    await clock.advance(3 * DAY - 1);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(0);
    await clock.advance(1);
    await notifier.idle();
    expect(titles(pushover)).toEqual(['Your iCloud sign-in ends soon']);
    expect(pushover.requests[0]!.json).toMatchObject({ priority: 0 });
    expect(pushover.requests[0]!.json).not.toHaveProperty('ttl');
    expect(pushover.requests[0]!.json!.message).toContain('about 7 days');

    // A restarted service does not know the trust end until it has read the session: that closes nothing.
    notifier = restart(notifier);
    notifier.observe({ ...trusted, trustEndsAt: null });
    notifier.observe(trusted);
    expect(notifier.openEpisodes.map((e) => e.kind)).toEqual(['trust-expiring']);
    await clock.advance(6 * DAY - 1);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(1);
    await clock.advance(1);
    await notifier.idle();
    expect(titles(pushover)).toEqual(['Your iCloud sign-in ends soon', 'Your iCloud sign-in ends tomorrow']);

    notifier = restart(notifier);
    notifier.observe(trusted);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(2);
    notifier.observe({ ...trusted, trustEndsAt: new Date(clock.now() + 60 * DAY).toISOString() });
    expect(notifier.openEpisodes).toEqual([]);
    await clock.advance(10 * DAY);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(2);
  });

  it('syncing failed: after K failed runs in a row with the plain reason, once; closed by a run that reached the end', async () => {
    settings.failureRuns = 3;
    let notifier = startNotifier();
    notifier.runEnded({ code: 'NETWORK', reachedEnd: false });
    notifier.runEnded({ code: 'APPLE_SERVER_ERROR', reachedEnd: false });
    await notifier.idle();
    expect(pushover.requests).toHaveLength(0);
    notifier = restart(notifier);
    notifier.runEnded({ code: 'NETWORK', reachedEnd: false });
    notifier.runEnded({ code: 'NETWORK', reachedEnd: false });
    await notifier.idle();
    expect(titles(pushover)).toEqual(['Syncing has failed for a while']);
    expect(pushover.requests[0]!.json!.message).toContain('Cannot reach iCloud');
    // Files that need attention do not make a failure: a partial run that listed everything closes it.
    notifier.runEnded({ code: null, reachedEnd: true });
    expect(notifier.openEpisodes).toEqual([]);
    notifier.runEnded({ code: 'NETWORK', reachedEnd: false });
    await notifier.idle();
    expect(pushover.requests).toHaveLength(1);
  });

  it('syncing failed: after H hours without a complete run, counted from the last one, on time without a new run', async () => {
    settings.failureRuns = 100;
    settings.failureHours = 48;
    const notifier = startNotifier();
    notifier.runEnded({ code: null, reachedEnd: true });
    await clock.advance(6 * HOUR);
    notifier.runEnded({ code: 'NETWORK', reachedEnd: false });
    await clock.advance(42 * HOUR - 1);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(0);
    await clock.advance(1);
    await notifier.idle();
    expect(titles(pushover)).toEqual(['Syncing has failed for a while']);
  });

  it('folder missing, mass deletion and disk full are episodes of their own, each announced once and closed by a complete run', async () => {
    const notifier = startNotifier();
    for (const code of ['FOLDER_MISSING', 'FOLDER_MISSING', 'MASS_DELETION', 'DISK_FULL', 'DISK_FULL'] as const) notifier.runEnded({ code, reachedEnd: false });
    await notifier.idle();
    expect(titles(pushover)).toEqual(['The sync folder is missing', 'Many files vanished from the sync folder', 'The disk is full']);
    expect(notifier.openEpisodes.map((e) => e.kind)).toEqual(['folder-missing', 'mass-deletion', 'disk-full']);
    notifier.runEnded({ code: null, reachedEnd: true });
    expect(notifier.openEpisodes).toEqual([]);
  });

  it('a channel that is off sends nothing; a missing key is said in the log by its secret name; no key, token or link is ever logged', async () => {
    settings.notifyChannels = ['ntfy'];
    let notifier = startNotifier();
    notifier.observe(NEEDS_CODE);
    await notifier.idle();
    expect(pushover.requests).toHaveLength(0);
    expect(ntfy.requests).toHaveLength(1);
    expect(ntfy.requests[0]!.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);

    settings.notifyChannels = [];
    notifier = restart(notifier);
    notifier.runEnded({ code: 'DISK_FULL', reachedEnd: false });
    await notifier.idle();
    expect(ntfy.requests).toHaveLength(1);
    expect(notifier.openEpisodes.map((e) => e.kind)).toEqual(['code-needed', 'disk-full']);

    new SecretsStore(dataDir, {}).clear('pushover-user');
    settings.notifyChannels = ['pushover'];
    notifier.runEnded({ code: 'FOLDER_MISSING', reachedEnd: false });
    await notifier.idle();
    expect(pushover.requests).toHaveLength(0);
    expect(log.text()).toContain('No pushover-user is set');

    const link = linkOf(ntfy.requests[0]!.body);
    for (const secret of [TOKEN, USER, NTFY_TOKEN, link]) expect(log.text()).not.toContain(secret);
  });
});

describe('desktop channel', () => {
  it('shows the episode through the host\'s desktop notifier, with its link; the daemon (no notifier) shows nothing', async () => {
    settings.notifyChannels = ['desktop'];
    const shown: unknown[] = [];
    const notifier = new Notifier({
      dataDir, clock, logger: log, config,
      channels: { secrets: new SecretsStore(dataDir, {}), desktop: { show: (n) => shown.push(n) }, endpoints: {} },
    });
    running.push(notifier);
    notifier.observe(NEEDS_CODE);
    await notifier.idle();
    expect(shown).toEqual([{ title: 'iCloud Photo Sync needs a verification code', message: expect.stringContaining('verification code') as unknown, urgent: true, url: expect.stringMatching(/^http:\/\/mypc\.lan:8731\/link\//) as unknown }]);
    expect(await notifier.sendTest('desktop')).toEqual({ ok: true });
    expect(shown).toHaveLength(2);

    const daemon = startNotifier();
    expect(await daemon.sendTest('desktop')).toMatchObject({ ok: false, problem: { message: expect.stringContaining('tray app') as unknown } });
  });
});

describe('link tokens', () => {
  it('each notification link opens once, names its episode, survives a restart, is stored only hashed, and expires', async () => {
    settings.notifyChannels = ['pushover'];
    const notifier = startNotifier();
    notifier.observe(NEEDS_CODE);
    await notifier.idle();
    const token = linkOf(pushover.requests[0]!.json!.url as string);
    const file = readFileSync(notifier.links.path, 'utf8');
    expect(file).not.toContain(token);

    const afterRestart = new LinkTokenStore(dataDir, clock);
    expect(afterRestart.verifyAndConsume(token)).toEqual({ episodeId: notifier.openEpisodes[0]!.id, kind: 'code-needed' });
    expect(afterRestart.verifyAndConsume(token)).toBeNull();
    expect(afterRestart.verifyAndConsume('not-a-token')).toBeNull();

    const later = afterRestart.issue({ episodeId: 'disk-full:x', kind: 'disk-full' }, LINK_TTL_MS);
    clock.sleep(LINK_TTL_MS);
    expect(afterRestart.verifyAndConsume(later)).toBeNull();
  });

  it('asks the host to serve the page while an episode is open; without a public URL the link is the host page', async () => {
    delete settings.publicUrl;
    settings.notifyChannels = ['pushover'];
    const notifier = startNotifier();
    notifier.observe(NEEDS_CODE);
    await notifier.idle();
    expect(pushover.requests[0]!.json!.url).toMatch(/^http:\/\/127\.0\.0\.1:8731\/link\//);
    expect(pageCalls).toContain(true);
    notifier.observe(SIGNED_IN);
    expect(pageCalls.at(-1)).toBe(false);
  });
});
