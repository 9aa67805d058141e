import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakedSecrets, openCliWorld, storedSessionSecrets, type CliWorld } from './cli-harness.js';

let world: CliWorld;
const password = () => ({ ICLOUD_PHOTO_SYNC_PASSWORD: world.sim.account.password });

beforeAll(async () => {
  world = await openCliWorld({ assets: 5, seed: 7 });
});
afterAll(async () => world?.close());

describe('icloud-photo-sync auth / status / logout (real CLI against the simulator)', () => {
  it('refuses a wrong password with exit 3 and says what happened', async () => {
    const result = await world.cli(['auth'], { env: { ICLOUD_PHOTO_SYNC_PASSWORD: 'not-the-password' } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('WRONG_PASSWORD');
    expect(result.stderr).toContain('did not accept');
  });

  it('exits 3 with CODE_REQUIRED when a code is needed and stdin has none', async () => {
    const result = await world.cli(['auth', '--json'], { env: password(), input: '' });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('CODE_REQUIRED');
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'CODE_REQUIRED', exitCode: 3 } });
  });

  it('stops after its own five tries per sign-in, before sending a sixth code to Apple', async () => {
    const wrong = world.sim.code === '000000' ? '111111' : '000000';
    const verifies = () => world.sim.requestLog().filter((entry) => entry.path.endsWith('/securitycode') && entry.method === 'POST').length;
    const before = verifies();
    const result = await world.cli(['auth'], { env: password(), input: `${`${wrong}\n`.repeat(5)}${world.sim.code}\n` });
    expect(result.exitCode).toBe(3);
    for (const left of ['4 tries left.', '3 tries left.', '2 tries left.', '1 try left.', '0 tries left.']) expect(result.stderr).toContain(left);
    expect(result.stderr).toContain('No tries are left for this code: sign in again to get a new one.');
    expect(verifies() - before).toBe(5);
  });

  it('signs in with the code read from stdin (a wrong line first, then the right one); a fresh sign-in has fresh tries', async () => {
    const result = await world.cli(['auth', '--json'], { env: password(), input: `000000\n${world.sim.code}\n` });
    expect(result.stderr).toContain('verification code is not right');
    // Counted by the CLI itself, per sign-in, as the app counts them (Apple's answer carries no count).
    expect(result.stderr).toContain('4 tries left.');
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, string>;
    expect(out).toMatchObject({ appleId: world.sim.account.appleId, status: 'signed in' });
    expect(Date.parse(out.trustExpiresAt ?? '')).toBeGreaterThan(Date.now());
    const sessions = join(world.dataDir, 'sessions');
    if (process.platform !== 'win32') for (const name of readdirSync(sessions)) expect(statSync(join(sessions, name)).mode & 0o777).toBe(0o600);
    if (process.platform !== 'win32') expect(statSync(sessions).mode & 0o777).toBe(0o700);
  });

  it('reuses the stored session in a new process: no password, no code', async () => {
    const before = world.sim.deliveredCodes().length;
    const result = await world.cli(['auth'], { input: '' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('signed in');
    expect(world.sim.deliveredCodes().length).toBe(before);
  });

  it('status --json shows the stored session and when trust ends', async () => {
    const result = await world.cli(['status', '--json']);
    expect(result.exitCode).toBe(0);
    const status = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ appleId: world.sim.account.appleId, sessionStored: true, counts: null, runs: [] });
    expect(status.trustDaysLeft).toBeGreaterThanOrEqual(29);
  });

  it('one account, one session: another case finds it, an ID differing only in punctuation neither finds nor deletes it', async () => {
    const { appleId } = world.sim.account;
    const statusOf = async (id: string) => {
      const result = await world.cli(['status', '--json', '--apple-id', id]);
      expect(result.exitCode, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as { sessionStored: boolean; tracker: string };
    };
    const upper = await statusOf(appleId.toUpperCase());
    expect(upper.sessionStored).toBe(true);
    expect(upper.tracker).toBe((await statusOf(appleId)).tracker);
    const withoutDots = appleId.replace(/\./g, '');
    expect(withoutDots).not.toBe(appleId);
    const other = await statusOf(withoutDots);
    expect(other.sessionStored).toBe(false);
    expect(other.tracker).not.toBe(upper.tracker);
    expect((await statusOf(appleId)).sessionStored).toBe(true);
    expect((await world.cli(['auth'], { input: '' })).exitCode).toBe(0);
  });

  it('doctor passes with a working session and a set-up folder', async () => {
    expect((await world.cli(['setup'])).exitCode).toBe(0);
    const result = await world.cli(['doctor', '--json']);
    const checks = JSON.parse(result.stdout) as Array<{ check: string; status: string }>;
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(checks.find((c) => c.check === 'session')).toMatchObject({ status: 'ok' });
    expect(result.exitCode).toBe(0);
  });

  it('doctor fails (exit 2) when a session file can be read by others, and says how to fix it', async ({ skip }) => {
    skip(process.platform === 'win32', 'needs POSIX file modes (chmod 644), which Windows does not have');
    const sessions = join(world.dataDir, 'sessions');
    const file = join(sessions, readdirSync(sessions)[0] ?? '');
    chmodSync(file, 0o644);
    const result = await world.cli(['doctor', '--offline']);
    chmodSync(file, 0o600);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/^fail {2}session files\s+readable by others/m);
    expect(result.stdout).toContain('chmod 600');
    for (const line of result.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('never writes a secret to stdout, stderr or the log files, even at trace level', async () => {
    const secrets = { password: world.sim.account.password, code: world.sim.code, ...storedSessionSecrets(world.dataDir) };
    expect(Object.keys(secrets).length).toBeGreaterThan(4);
    const outputs: string[] = [];
    for (const args of [['auth', '--force'], ['status'], ['doctor']]) {
      const result = await world.cli([...args, '--log-level', 'trace'], { env: password(), input: `${world.sim.code}\n` });
      outputs.push(result.stdout, result.stderr);
    }
    const logs = world.logText();
    expect(logs.length).toBeGreaterThan(1000);
    expect(leakedSecrets(logs + outputs.join(''), { ...secrets, ...storedSessionSecrets(world.dataDir) })).toEqual([]);
  });

  it('logout deletes the session files; the next sync needs a sign-in (exit 3)', async () => {
    const result = await world.cli(['logout']);
    expect(result.exitCode).toBe(0);
    expect(readdirSync(join(world.dataDir, 'sessions'))).toEqual([]);
    const sync = await world.cli(['sync']);
    expect(sync.exitCode).toBe(3);
    expect(sync.stderr).toMatch(/PASSWORD_REQUIRED|AUTH_REQUIRED/);
    expect(existsSync(join(world.dataDir, 'sessions'))).toBe(true);
  });

  it('stops at once with exit 4 when Apple throttles sign-ins, saying when to try again', async () => {
    world.sim.setConditions({ throttled: { retryAfterSeconds: 3600 } });
    try {
      const result = await world.cli(['auth'], { env: password(), input: `${world.sim.code}\n` });
      expect(result.exitCode).toBe(4);
      expect(result.stderr).toContain('THROTTLED');
      expect(result.stderr).toMatch(/Try again after \d{4}-/);
    } finally {
      world.sim.setConditions({ throttled: false });
    }
  });
});
