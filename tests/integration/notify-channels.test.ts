/**
 * The Pushover and ntfy channels and the delivery queue against local fakes of both APIs over real
 * HTTP: the exact request, the answers 200 / 400 with errors / 429 with limit headers / 500 / a
 * reset, retries on 5xx and network errors only (no sooner than 5 s, on a manual clock).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../src-main/notify/channels/channel.js';
import { NtfyChannel } from '../../src-main/notify/channels/ntfy.js';
import { PUSHOVER_LIMITS, PushoverChannel } from '../../src-main/notify/channels/pushover.js';
import { Delivery, FIRST_RETRY_MS, MAX_TRIES } from '../../src-main/notify/delivery.js';
import { captureLogger } from '../support/capture-logger.js';
import { QUOTA_RESET, startFakeNotifyService, type FakeNotifyService } from '../support/fake-notify-services.js';
import { ManualClock, settle } from '../support/manual-clock.js';

const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
const NTFY_TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';

const CODE_NOTE: Notification = {
  episodeId: 'code-needed:2026-01-05T09:00:00.000Z',
  title: 'iCloud Photo Sync needs a verification code',
  message: 'Apple asks for a verification code.',
  urgent: true,
  url: 'http://127.0.0.1:8731/link/abc',
  urlTitle: 'Enter the code',
  ttlSeconds: 14_400,
};

let fake: FakeNotifyService | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function waitForRequests(service: FakeNotifyService, count: number): Promise<void> {
  for (let i = 0; i < 500 && service.requests.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(service.requests).toHaveLength(count);
}

describe('Pushover channel', () => {
  it('POSTs JSON to messages.json with token, user, title, message, priority 1, url, url_title and ttl for a code request', async () => {
    fake = await startFakeNotifyService('pushover');
    const outcome = await new PushoverChannel({ token: TOKEN, user: USER }, fake.url).send(CODE_NOTE, new AbortController().signal);
    expect(outcome).toEqual({ ok: true });
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/1/messages.json' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.json).toEqual({ token: TOKEN, user: USER, title: CODE_NOTE.title, message: CODE_NOTE.message, priority: 1, url: CODE_NOTE.url, url_title: 'Enter the code', ttl: 14_400 });
  });

  it('keeps to the API limits: title 250, message 1024, url_title 100; a longer URL is left out; priority 0 and no ttl otherwise', async () => {
    fake = await startFakeNotifyService('pushover');
    const long: Notification = { ...CODE_NOTE, urgent: false, ttlSeconds: null, title: 't'.repeat(400), message: 'm'.repeat(2000), urlTitle: 'u'.repeat(300), url: `http://x/${'a'.repeat(600)}` };
    await new PushoverChannel({ token: TOKEN, user: USER }, fake.url).send(long, new AbortController().signal);
    const sent = fake.requests[0]!.json!;
    expect((sent.title as string).length).toBe(PUSHOVER_LIMITS.title);
    expect((sent.message as string).length).toBe(PUSHOVER_LIMITS.message);
    expect(sent).not.toHaveProperty('url');
    expect(sent).not.toHaveProperty('url_title');
    expect(sent).not.toHaveProperty('ttl');
    expect(sent.priority).toBe(0);
    await new PushoverChannel({ token: TOKEN, user: USER }, fake.url).send({ ...long, url: 'http://pc.lan/link/x' }, new AbortController().signal);
    expect((fake.requests[1]!.json!.url_title as string).length).toBe(PUSHOVER_LIMITS.urlTitle);
  });

  it('a 400 names the refused field and is not retried', async () => {
    fake = await startFakeNotifyService('pushover');
    fake.fallback = 'bad-user';
    const clock = new ManualClock();
    const log = captureLogger();
    const delivery = new Delivery(clock, log);
    const channel = new PushoverChannel({ token: TOKEN, user: USER }, fake.url);
    delivery.deliver(channel, CODE_NOTE);
    await delivery.idle();
    await clock.advance(10 * 60_000);
    await delivery.idle();
    expect(fake.requests).toHaveLength(1);
    const status = delivery.status('pushover')!;
    expect(status.ok).toBe(false);
    expect(status.problem).toMatchObject({ field: 'pushover-user' });
    expect(status.problem!.message).toContain('Pushover user key');
    expect(status.problem!.message).toContain('not a valid user');
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain(USER);
  });

  it('429 is the monthly quota: shown with the reset time from X-Limit-App-Reset, not retried', async () => {
    fake = await startFakeNotifyService('pushover');
    fake.fallback = 'quota';
    const clock = new ManualClock();
    const delivery = new Delivery(clock, captureLogger());
    delivery.deliver(new PushoverChannel({ token: TOKEN, user: USER }, fake.url), CODE_NOTE);
    await delivery.idle();
    await clock.advance(3600_000);
    await delivery.idle();
    expect(fake.requests).toHaveLength(1);
    const problem = delivery.status('pushover')!.problem!;
    expect(problem.resetsAt).toBe(new Date(QUOTA_RESET * 1000).toISOString());
    expect(problem.message).toContain('monthly');
    expect(problem.message).toContain('2026-01-01 00:00 UTC');
  });

  it('500 and a connection reset are retried, no sooner than 5 s and with growing waits, until it gets through', async () => {
    fake = await startFakeNotifyService('pushover');
    fake.answers = ['server-error', 'reset', 'server-error'];
    const clock = new ManualClock();
    const delivery = new Delivery(clock, captureLogger());
    delivery.deliver(new PushoverChannel({ token: TOKEN, user: USER }, fake.url), CODE_NOTE);
    await delivery.idle();
    expect(fake.requests).toHaveLength(1);
    await clock.advance(FIRST_RETRY_MS - 1);
    await delivery.idle();
    expect(fake.requests).toHaveLength(1);
    await clock.advance(1);
    await waitForRequests(fake, 2);
    await delivery.idle();
    // The second wait is longer than the first.
    await clock.advance(FIRST_RETRY_MS);
    await delivery.idle();
    expect(fake.requests).toHaveLength(2);
    await clock.advance(FIRST_RETRY_MS);
    await waitForRequests(fake, 3);
    await delivery.idle();
    await clock.advance(4 * FIRST_RETRY_MS);
    await waitForRequests(fake, 4);
    await delivery.idle();
    expect(delivery.status('pushover')).toMatchObject({ ok: true, problem: null });
    await clock.advance(3600_000);
    await settle();
    expect(fake.requests).toHaveLength(4);
  });

  it('gives up after the last try of a server that keeps failing', async () => {
    fake = await startFakeNotifyService('pushover');
    fake.fallback = 'server-error';
    const clock = new ManualClock();
    const delivery = new Delivery(clock, captureLogger());
    delivery.deliver(new PushoverChannel({ token: TOKEN, user: USER }, fake.url), CODE_NOTE);
    for (let i = 0; i < MAX_TRIES + 2; i++) {
      await delivery.idle();
      await clock.advance(24 * 3600_000);
    }
    await delivery.idle();
    expect(fake.requests).toHaveLength(MAX_TRIES);
    expect(delivery.status('pushover')!.problem!.message).toContain('HTTP 500');
  });

  it('Send test checks the keys with users/validate first, then sends a test message', async () => {
    fake = await startFakeNotifyService('pushover');
    const delivery = new Delivery(new ManualClock(), captureLogger());
    expect(await delivery.test(new PushoverChannel({ token: TOKEN, user: USER }, fake.url))).toEqual({ ok: true });
    expect(fake.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/1/users/validate.json'], ['POST', '/1/messages.json']]);
    expect(fake.requests[0]!.json).toEqual({ token: TOKEN, user: USER });

    fake.answers = ['unauthorized'];
    const refused = await delivery.test(new PushoverChannel({ token: TOKEN, user: USER }, fake.url));
    expect(refused).toMatchObject({ ok: false, retry: false, problem: { field: 'pushover-token' } });
    expect(fake.requests).toHaveLength(3);
  });
});

describe('ntfy channel', () => {
  it('POSTs to <server>/<topic> with title, priority, click URL and the access token; the body is the link and nothing more', async () => {
    fake = await startFakeNotifyService('ntfy');
    const channel = new NtfyChannel({ server: fake.url, topic: 'photos-a8Kq2', token: NTFY_TOKEN });
    expect(await channel.send(CODE_NOTE, new AbortController().signal)).toEqual({ ok: true });
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/photos-a8Kq2', body: CODE_NOTE.url });
    expect(request!.headers).toMatchObject({ title: CODE_NOTE.title, priority: 'high', click: CODE_NOTE.url, authorization: `Bearer ${NTFY_TOKEN}` });
  });

  it('Send test posts a test message to the topic', async () => {
    fake = await startFakeNotifyService('ntfy');
    const delivery = new Delivery(new ManualClock(), captureLogger());
    expect(await delivery.test(new NtfyChannel({ server: `${fake.url}/`, topic: 'photos-a8Kq2' }))).toEqual({ ok: true });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/photos-a8Kq2', body: expect.stringContaining('ntfy is set up') as unknown });
    expect(fake.requests[0]!.headers.title).toBe('iCloud Photo Sync');
  });

  it('without a token sends no Authorization; a 403 names the token and is not retried; a 500 is retried', async () => {
    fake = await startFakeNotifyService('ntfy');
    const clock = new ManualClock();
    const delivery = new Delivery(clock, captureLogger());
    await new NtfyChannel({ server: fake.url, topic: 't1' }).send({ ...CODE_NOTE, urgent: false }, new AbortController().signal);
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    expect(fake.requests[0]!.headers.priority).toBe('default');

    fake.answers = ['unauthorized'];
    delivery.deliver(new NtfyChannel({ server: fake.url, topic: 't1', token: NTFY_TOKEN }), CODE_NOTE);
    await delivery.idle();
    await clock.advance(3600_000);
    await delivery.idle();
    expect(fake.requests).toHaveLength(2);
    expect(delivery.status('ntfy')!.problem).toMatchObject({ field: 'ntfy-token' });

    fake.answers = ['server-error'];
    delivery.deliver(new NtfyChannel({ server: fake.url, topic: 't1' }), CODE_NOTE);
    await delivery.idle();
    await clock.advance(FIRST_RETRY_MS);
    await waitForRequests(fake, 4);
    await delivery.idle();
    expect(delivery.status('ntfy')).toMatchObject({ ok: true });
  });
});
