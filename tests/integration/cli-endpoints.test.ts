/**
 * Where the CLI's requests go. The installed entry point (src-main/cli/main.ts) reads no test
 * variable and resolves no `*.test` name: only `region` and `authHost` (https) choose its hosts.
 * The development entry point (tests/cli-sim, `npm run cli:sim`) runs the same program against a
 * simulator, found or started by itself when no endpoints are handed to it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../sim/server.js';
import { cliSimCommand } from '../cli-sim/sim-network.js';
import { cliEnv, runCliProcess, type CliResult } from './cli-harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let sim: Simulator;
let base: string;

beforeAll(async () => {
  sim = await startSimulator({ assets: 3 });
  base = mkdtempSync(join(tmpdir(), 'cli-endpoints-'));
});
afterAll(async () => {
  await sim?.close();
  rmSync(base, { recursive: true, force: true });
});

/** The installed CLI, with the variables earlier builds read to reach a simulator. */
function installedCli(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const env = cliEnv(null, join(base, 'data'), {
    ICLOUD_PHOTO_SYNC_APPLE_ID: sim.account.appleId,
    ICLOUD_PHOTO_SYNC_ENDPOINTS_JSON: JSON.stringify({ auth: sim.urls.auth, setup: sim.urls.setup, webOrigin: sim.urls.webOrigin }),
    ICLOUD_PHOTO_SYNC_SIM_HOSTS: '1',
    ...extra,
  });
  return runCliProcess(args, env);
}

function hostsRow(result: CliResult): string {
  const rows = JSON.parse(result.stdout) as Array<{ check: string; detail: string }>;
  return rows.find((row) => row.check === 'icloud hosts')?.detail ?? '(no icloud hosts row)';
}

describe('the installed CLI talks to Apple only', () => {
  it('ignores ICLOUD_PHOTO_SYNC_ENDPOINTS_JSON and ICLOUD_PHOTO_SYNC_SIM_HOSTS', async () => {
    const result = await installedCli(['doctor', '--offline', '--json']);
    expect(hostsRow(result)).toBe('sign-in https://idmsa.apple.com/appleauth/auth, setup https://setup.icloud.com/setup/ws/1');
    expect(sim.requestLog()).toEqual([]);
  });

  it('region and an https authHost still choose the hosts', async () => {
    const china = await installedCli(['doctor', '--offline', '--json', '--region', 'china']);
    expect(hostsRow(china)).toBe('sign-in https://idmsa.apple.com.cn/appleauth/auth, setup https://setup.icloud.com.cn/setup/ws/1');
    const own = await installedCli(['doctor', '--offline', '--json', '--region', 'china', '--auth-host', 'https://idmsa.apple.com/appleauth/auth']);
    expect(hostsRow(own)).toBe('sign-in https://idmsa.apple.com/appleauth/auth, setup https://setup.icloud.com.cn/setup/ws/1');
  });

  it('refuses an http authHost with a configuration error (exit 2)', async () => {
    const result = await installedCli(['status', '--auth-host', sim.urls.auth]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/authHost/);
    expect(sim.requestLog()).toEqual([]);
  });

  it('no product source reads a test variable or resolves *.test names', () => {
    const sources: string[] = [];
    const visit = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) visit(path);
        else if (/\.tsx?$/.test(name)) sources.push(path);
      }
    };
    for (const dir of ['src-main', 'src-shared', 'src-renderer']) visit(join(ROOT, dir));
    const offending = sources.filter((path) => /ENDPOINTS_JSON|SIM_HOSTS|endsWith\('\.test'\)/.test(readFileSync(path, 'utf8')));
    expect(offending).toEqual([]);
  });
});

describe('npm run cli:sim (the development entry point)', () => {
  /** Runs cli:sim with its own temp folder, so its background simulator and state stay in this test. */
  function cliSim(args: string[]): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const [command, ...prefix] = cliSimCommand();
      const child = spawn(command, [...prefix, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: base, TMPDIR: base, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
    });
  }

  it('starts a simulator in the background once, finds it the next time, and keeps its own data folder', async () => {
    const first = await cliSim(['doctor', '--offline', '--json']);
    const pid = Number(/pid (\d+)/.exec(first.stderr)?.[1]);
    try {
      // (doctor then fails on the sync folder nobody set up: exit 2, beside the point here)
      expect(hostsRow(first)).toMatch(/^sign-in http:\/\/idmsa\.apple\.test:\d+\/appleauth\/auth, setup http:\/\/setup\.icloud\.test:\d+\//);
      expect(first.stderr).toContain(join(base, 'icloud-photo-sync-cli-sim', 'data'));
      const second = await cliSim(['doctor', '--offline', '--json']);
      expect(Number(/pid (\d+)/.exec(second.stderr)?.[1])).toBe(pid);
      expect(hostsRow(second)).toBe(hostsRow(first));
    } finally {
      if (pid > 0) process.kill(pid, 'SIGTERM');
    }
  });
});
