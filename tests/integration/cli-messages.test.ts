/**
 * What the real CLI says when something is off: each error with its own catalogue code and exit
 * code, flags named as typed, impossible dates refused, a code's format explained, command guesses
 * only when close, and doctor not calling a refusal "ok".
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src-shared/errors.js';
import { openCliWorld, type CliWorld } from './cli-harness.js';

let world: CliWorld;
const withPassword = () => ({ ICLOUD_PHOTO_SYNC_PASSWORD: world.sim.account.password });

beforeAll(async () => {
  world = await openCliWorld({ assets: 3, seed: 41 });
});
afterAll(async () => world?.close());

describe('errors that are not about a setting have their own code', () => {
  it('a missing password file: PASSWORD_FILE_MISSING, exit 2', async () => {
    const result = await world.cli(['auth'], { env: { ICLOUD_PHOTO_SYNC_PASSWORD_FILE: join(world.base, 'nope.txt') } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('[PASSWORD_FILE_MISSING]');
    expect(result.stderr).toContain('nope.txt does not exist');
    expect(result.stderr).not.toContain('A setting is not valid');
  });

  it('a phone id that is not a trusted phone: UNKNOWN_PHONE, exit 2, listing the phones', async () => {
    const result = await world.cli(['auth', '--method', 'sms', '--phone', '9'], { env: withPassword() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('[UNKNOWN_PHONE]');
    expect(result.stderr).toContain('Trusted phones: ');
    expect(result.stderr).not.toContain('A setting is not valid');
  });

  it('--method takes only device or sms, said by the flag itself', async () => {
    const result = await world.cli(['auth', '--method', 'pigeon']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--method <where>' argument 'pigeon' is invalid\. Allowed choices are device, sms/);
  });

  it('--json with --csv is a usage error (USAGE, exit 2)', async () => {
    const result = await world.cli(['status', '--json', '--csv']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Choose either --json or --csv, not both. [USAGE]');
  });
});

describe('messages reach the user whole', () => {
  it('the app-specific-password message is printed as written, not garbled by the log redaction', async () => {
    const result = await world.cli(['auth'], { env: { ICLOUD_PHOTO_SYNC_PASSWORD: 'abcd-efgh-ijkl-mnop' } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`Error: ${ERROR_CATALOGUE.APP_SPECIFIC_PASSWORD} [APP_SPECIFIC_PASSWORD]`);
    expect(world.logText()).toContain(ERROR_CATALOGUE.APP_SPECIFIC_PASSWORD);
    expect(result.stderr + world.logText()).not.toContain('abcd-efgh-ijkl-mnop');
  });
});

describe('settings given as flags', () => {
  it('an error about a flag names the flag', async () => {
    const result = await world.cli(['status', '--mass-deletion-threshold', '2']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('"massDeletionThreshold" (from --mass-deletion-threshold) has the value 2');
  });

  it('a command option with a bad value is named too', async () => {
    const result = await world.cli(['status', '--runs', 'lots']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("option '--runs <n>' argument 'lots' is invalid. Allowed: a whole number of 1 or more.");
  });

  it('an impossible date is refused', async () => {
    for (const date of ['2024-02-30', '2023-02-29', '2024-04-31']) {
      const result = await world.cli(['sync', '--dry-run', '--after', date]);
      expect(result.exitCode, date).toBe(2);
      expect(result.stderr).toContain(`"after" (from --after) has the value "${date}"; allowed: a date like 2024-01-31`);
    }
    expect((await world.cli(['status', '--after', '2024-02-29'])).stderr).not.toContain('"after"');
  });
});

describe('typing mistakes', () => {
  it('a code of the wrong length is explained (6 digits) and asked again; spaces inside a code are fine', async () => {
    const code = world.sim.code;
    const spaced = `${code.slice(0, 3)} ${code.slice(3)}`;
    const result = await world.cli(['auth'], { env: withPassword(), input: `12 34\n${spaced}\n` });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('A verification code has 6 digits (that was 4 characters)');
    expect(result.stderr).not.toContain('not right');
    expect(result.stdout).toContain('signed in');
  });

  it('a mistyped command gets a guess only when it is close', async () => {
    const close = await world.cli(['syncc']);
    expect(close.exitCode).toBe(2);
    expect(close.stderr).toContain('Did you mean "sync"?');
    const far = await world.cli(['bogus']);
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toContain("unknown command 'bogus'");
    expect(far.stderr).not.toContain('Did you mean');
  });
});

describe('doctor', () => {
  it('does not call an HTTP 4xx answer "ok"', async () => {
    expect((await world.cli(['setup'])).exitCode).toBe(0);
    const result = await world.cli(['doctor', '--json']);
    const checks = JSON.parse(result.stdout) as Array<{ check: string; status: string; detail: string }>;
    const connectivity = checks.filter((c) => c.check === 'connectivity');
    expect(connectivity).toHaveLength(2);
    // The simulator refuses a bare GET of its sign-in and setup URLs with a 4xx.
    for (const check of connectivity) {
      expect(check.detail).toMatch(/HTTP 4\d\d/);
      expect(check.status, check.detail).toBe('warn');
    }
    expect(checks.find((c) => c.check === 'session')).toMatchObject({ status: 'ok' });
    expect(result.exitCode).toBe(0);
  });
});
