/**
 * `daemon --web`: the real CLI process serves the built page; its link (a secret) goes to a 0600
 * file in the data folder and never to the log or the (non-interactive) output; the link opens a
 * session; stopping the daemon removes the file.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_FILE_NAME } from '../../src-main/web/link-file.js';
import { buildUi } from '../support/built-ui.js';
import { openCliWorld, type CliWorld } from './cli-harness.js';
import { send } from './web-harness.js';

let world: CliWorld;
let uiDir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  uiDir = await buildUi();
  world = await openCliWorld({ assets: 2, seed: 9 });
  expect((await world.cli(['setup'])).exitCode).toBe(0);
}, 120_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await world?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

/** A daemon child whose stdout and stderr are collected; `until` waits for a condition or fails with what it said. */
function startDaemon(args: string[], env: NodeJS.ProcessEnv) {
  const daemon = world.spawnCli(['daemon', ...args], env);
  children.push(daemon);
  let output = '';
  daemon.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  daemon.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => daemon.on('close', resolve));
  return {
    output: () => output,
    until: async (done: () => boolean, what: string) => {
      for (let i = 0; i < 300 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      if (!done()) throw new Error(`${what} did not happen; the daemon said:\n${output}`);
    },
    stop: async () => {
      daemon.kill('SIGTERM');
      return exited;
    },
  };
}

describe('icloud-photo-sync daemon --web', () => {
  it('serves the page, writes the link only to a private file, and removes it on stop', async () => {
    const daemon = startDaemon(['--web', '--web-ports', '47700-47799'], { ICLOUD_PHOTO_SYNC_UI_DIR: uiDir });
    const linkFile = join(world.dataDir, LINK_FILE_NAME);
    await daemon.until(() => daemon.output().includes("the page's link (with its token) is in"), 'the page starting');
    expect(daemon.output()).toContain(linkFile);

    const link = readFileSync(linkFile, 'utf8').trim();
    const printed = await world.cli(['web-link']);
    expect(printed).toMatchObject({ exitCode: 0, stdout: `${link}\n` });
    if (process.platform !== 'win32') expect(statSync(linkFile).mode & 0o777).toBe(0o600);
    const url = new URL(link);
    const token = url.searchParams.get('token') ?? '';
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThanOrEqual(47_700);

    const opened = await send(link, 'GET', {});
    expect(opened.status).toBe(303);
    const cookie = String(opened.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    const page = await send(`${url.origin}/`, 'GET', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('icloud-photo-sync-bridge');
    expect((await send(`${url.origin}/`, 'GET', {})).status).toBe(401);

    expect(await daemon.stop()).toBe(0);
    expect(existsSync(linkFile)).toBe(false);
    const gone = await world.cli(['web-link']);
    expect(gone.exitCode).toBe(2);
    expect(gone.stderr).toContain('The local web page is not running. Start it with: icloud-photo-sync daemon --web');
    const everything = daemon.output() + world.logText() + gone.stdout + gone.stderr;
    expect(everything).toContain('session started');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(cookie.split('=')[1]);
  }, 90_000);

  it('without --web, starts the page when a code is needed and stops it once the code from the page was accepted', async () => {
    const env = { ICLOUD_PHOTO_SYNC_UI_DIR: uiDir, ICLOUD_PHOTO_SYNC_PASSWORD: world.sim.account.password };
    world.sim.expireTrust();
    world.sim.expireWebSessions();
    const daemon = startDaemon(['--web-ports', '47800-47899'], env);
    const linkFile = join(world.dataDir, LINK_FILE_NAME);
    await daemon.until(() => existsSync(linkFile), 'the page starting for a code');
    expect(daemon.output()).toContain('a verification code is needed: the local page starts');

    const link = new URL(readFileSync(linkFile, 'utf8').trim());
    const opened = await send(link.href, 'GET', {});
    const cookie = String(opened.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    const headers = { cookie, origin: link.origin, 'x-icloud-photo-sync': '1', 'content-type': 'application/json' };
    const post = (command: unknown) => send(`${link.origin}/api/command`, 'POST', headers, JSON.stringify(command));
    expect(JSON.parse((await post({ type: 'request-code', channel: 'device' })).body)).toEqual({ ok: true, result: { sentTo: 'device' } });
    expect(JSON.parse((await post({ type: 'submit-code', code: world.sim.code })).body)).toEqual({ ok: true, result: { status: 'ready' } });

    await daemon.until(() => !existsSync(linkFile), 'the page stopping after the code');
    await daemon.until(() => daemon.output().includes('run finished: success'), 'a run after the sign-in');
    expect(await daemon.stop()).toBe(0);
    expect(daemon.output()).not.toContain(link.searchParams.get('token') ?? '?');
    expect(daemon.output()).not.toContain(world.sim.code);
  }, 90_000);
});
