import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import { captureLogger, openClient, tempFolder } from './client-auth-helpers.js';

/** No secret may reach a log: run whole sign-ins with debug logging and scan every line. */
describe('client-auth: logs hold no secrets', () => {
  let sim: Simulator;
  let folder: Awaited<ReturnType<typeof tempFolder>>;

  afterEach(async () => {
    await sim.close();
    await folder.remove();
  });

  it('logs a full sign-in (wrong code, right code, reuse, re-auth, sign-out) without any secret', async () => {
    sim = await startSimulator({ mfa: 'device', assets: 5 });
    folder = await tempFolder();
    const { logger, lines } = captureLogger();
    const client = await openClient(sim, folder.path, { logger, passwordProvider: () => Promise.resolve(sim.account.password) });

    await client.signIn(sim.account.password);
    await client.requestCode({ channel: 'device' });
    await client.submitCode(sim.code === '000000' ? '111111' : '000000').catch(() => undefined);
    await client.submitCode(sim.code);
    const files = client.sessionFiles;
    const storedSession = JSON.parse(await readFile(files.session, 'utf8')) as Record<string, unknown>;
    const storedCookies = JSON.parse(await readFile(files.cookies, 'utf8')) as { cookies: Array<{ value?: string }> };
    sim.expireWebSessions();
    const again = await openClient(sim, folder.path, { logger, passwordProvider: () => Promise.resolve(sim.account.password) });
    await again.connect();
    await again.signOut();

    const secrets = [
      sim.account.password,
      sim.code,
      ...['session_token', 'trust_token', 'scnt', 'session_id'].map((key) => storedSession[key]),
      ...storedCookies.cookies.map((c) => c.value),
    ].filter((value): value is string => typeof value === 'string' && value.replace(/"/g, '').length >= 6);
    expect(secrets.length).toBeGreaterThan(8);
    expect(lines.filter((l) => l.includes('"debug"')).length).toBeGreaterThan(10);
    expect(lines.some((l) => l.includes('signin/init'))).toBe(true);

    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret.replace(/"/g, ''));
      // SRP values (A 344 base64 chars, m1/m2 44) and tokens are long opaque runs: none may appear.
      // (URL paths are fixed API names, checked above for the listed secrets.)
      expect(line.replace(/"path":"[^"]*"/g, '')).not.toMatch(/[A-Za-z0-9+/=_-]{40,}/);
    }
  });
});
