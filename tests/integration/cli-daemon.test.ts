import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCliWorld, type CliWorld } from './cli-harness.js';

let world: CliWorld;
const children: ChildProcess[] = [];
beforeAll(async () => {
  world = await openCliWorld({ assets: 4, seed: 5 });
  expect((await world.cli(['setup'])).exitCode).toBe(0);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await world?.close();
});

/** Collects a child's stderr and resolves when a line matching `pattern` has appeared. */
function watch(child: ChildProcess) {
  let text = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    text: () => text,
    /** Fails with everything logged so far when the line does not come within `ms`. */
    until: (pattern: RegExp, ms = 20_000) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(text)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms; daemon said:\n${text}`)), ms);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
      }),
  };
}

describe('icloud-photo-sync daemon', () => {
  it('pauses when a sign-in is needed, says to run auth, resumes by itself after it, stops cleanly on SIGTERM', async ({ skip }) => {
    skip(process.platform === 'win32', 'sends SIGTERM to the daemon; Windows ends the process outright instead');
    const daemon = world.spawnCli(['daemon', '--interval', '10s']);
    children.push(daemon);
    const exited = new Promise<number | null>((resolve) => daemon.on('close', resolve));
    const log = watch(daemon);
    await log.until(/Run "icloud-photo-sync auth"/);
    expect(log.text()).toContain('PASSWORD_REQUIRED');
    expect(log.text()).not.toContain('run finished');

    const auth = await world.cli(['auth'], { env: { ICLOUD_PHOTO_SYNC_PASSWORD: world.sim.account.password }, input: `${world.sim.code}\n` });
    expect(auth.exitCode).toBe(0);
    await log.until(/run finished: success/);
    expect(log.text()).toContain('a new session was stored: resuming');

    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log.text()).toContain('daemon stopped');
  }, 60_000);

  it('with a password configured, pauses only when Apple wants a new code (trust expired)', async ({ skip }) => {
    skip(process.platform === 'win32', 'sends SIGINT to the daemon; Windows ends the process outright instead');
    world.sim.expireTrust();
    world.sim.expireWebSessions();
    const env = { ICLOUD_PHOTO_SYNC_PASSWORD: world.sim.account.password };
    const daemon = world.spawnCli(['daemon', '--interval', '10s'], env);
    children.push(daemon);
    const exited = new Promise<number | null>((resolve) => daemon.on('close', resolve));
    const log = watch(daemon);
    await log.until(/CODE_REQUIRED\)\. Run "icloud-photo-sync auth"/);

    expect((await world.cli(['auth'], { env, input: `${world.sim.code}\n` })).exitCode).toBe(0);
    await log.until(/run finished: success/);
    // Ctrl-C exits 130, like sync (SIGTERM, a service manager's stop, exits 0: above).
    daemon.kill('SIGINT');
    expect(await exited).toBe(130);
  }, 60_000);

  it('says at start which notification channels are on, and what a chosen channel is missing (by the secret name)', async ({ skip }) => {
    skip(process.platform === 'win32', 'sends SIGTERM to the daemon; Windows ends the process outright instead');
    const daemon = world.spawnCli(['daemon', '--interval', '1h'], { ICLOUD_PHOTO_SYNC_NOTIFY_CHANNELS: 'pushover,ntfy', ICLOUD_PHOTO_SYNC_NTFY_TOPIC: 'photos-a8Kq2' });
    children.push(daemon);
    const exited = new Promise<number | null>((resolve) => daemon.on('close', resolve));
    const log = watch(daemon);
    await log.until(/pushover notifications cannot be sent: No pushover-token is set: run "icloud-photo-sync secret set pushover-token"/);
    expect(log.text()).toContain('notifications go to pushover and ntfy');
    expect(log.text()).not.toContain('ntfy notifications cannot be sent');
    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
