import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SimTestClient } from '../sim/test-client.js';

const FirstLine = z.object({
  auth: z.string(),
  setup: z.string(),
  webOrigin: z.string(),
  hosts: z.record(z.string(), z.string()),
  appleId: z.string(),
  password: z.string(),
  code: z.string().regex(/^\d{6}$/),
  port: z.number().int().positive(),
});

describe('npm run sim (tests/sim/cli.ts)', () => {
  it('prints its endpoints first, a line per sent code, and stops cleanly on SIGTERM', async ({ skip }) => {
    skip(process.platform === 'win32', 'sends SIGTERM to the simulator; Windows ends the process outright instead');
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sim/cli.ts', '--port', '0', '--assets', '10', '--seed', '5', '--mfa', 'sms'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    try {
      const first = FirstLine.parse(JSON.parse(String((await lines.next()).value)));
      expect(first.auth).toBe(`http://idmsa.apple.test:${first.port}/appleauth/auth`);
      expect(first.hosts.ckdatabase).toBe('p42-ckdatabasews.icloud.test');

      const client = new SimTestClient(first);
      expect((await client.signIn(first.appleId, first.password)).statusCode).toBe(409);
      expect((await client.auth('PUT', '/verify/phone', { phoneNumber: { id: 1 }, mode: 'sms' })).statusCode).toBe(200);
      expect(JSON.parse(String((await lines.next()).value))).toEqual({ event: 'code-sent', channel: 'sms', phoneId: 1, code: first.code });

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad --faults value', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sim/cli.ts', '--faults', 'explode=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/bad fault/);
  });
});
