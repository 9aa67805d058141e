/**
 * The local page's state in the service's snapshot: every port of its range held by real
 * listeners, so it cannot start; the snapshot says so in plain words and a sync still completes.
 * Once a port is free the page serves, and the snapshot gives its address without the token.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PageHost } from '../../src-main/web/page-for-service.js';
import { captureLogger } from '../support/capture-logger.js';
import { closeServer, occupiedRange } from '../support/occupied-ports.js';
import { openServiceWorld, signedInAndSynced } from './service-harness.js';
import { send } from './web-harness.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe("the local page's state in the snapshot", () => {
  it('says plainly that the page could not start when every port is in use, keeps syncing, and serves once a port is free', async () => {
    const { first, last, blockers, release } = await occupiedRange(3);
    cleanup.push(release);
    const uiDir = mkdtempSync(join(tmpdir(), 'web-state-ui-'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>iCloud Photo Sync</title>');
    cleanup.push(() => rmSync(uiDir, { recursive: true, force: true }));
    const log = captureLogger();
    const world = await openServiceWorld({ assets: 4 }, () => ({ logger: log }));
    cleanup.push(() => world.close());
    const host = new PageHost({ service: world.service, settings: { webAddress: '127.0.0.1', webPorts: `${first}-${last}`, publicUrl: undefined }, dataDir: world.dataDir, logger: log, show: null, uiDir });
    cleanup.push(() => host.stop());
    expect(world.service.snapshot().webPage).toEqual({ status: 'off', url: null, message: null });

    expect(await host.want('web', true)).toBeNull();
    const failed = {
      status: 'failed',
      url: null,
      message: `The local web page could not start: every port from ${first} to ${last} on 127.0.0.1 is in use. Change the port range in Settings, or close the program using them.`,
    };
    expect(world.service.snapshot().webPage).toEqual(failed);

    // Syncing does not depend on the page.
    await signedInAndSynced(world);
    expect(world.service.snapshot()).toMatchObject({ state: 'up-to-date', webPage: failed });

    // The person closes the other program (one port is free) and asks for the page again.
    await closeServer(blockers[1] as Server);
    expect(host.want('web', false)).toBeNull();
    await world.until((snapshot) => snapshot.webPage.status === 'off');
    const url = await host.want('web', true);
    expect(url).toBe(`http://127.0.0.1:${first + 1}`);
    const serving = world.service.snapshot().webPage;
    expect(serving).toEqual({ status: 'serving', url: `http://127.0.0.1:${first + 1}/`, message: null });
    expect(serving.url).not.toContain('token');
    // A real page answers there (without the link's session, it refuses).
    expect((await send(serving.url ?? '', 'GET', {})).status).toBe(401);

    await host.stop();
    expect(world.service.snapshot().webPage).toEqual({ status: 'off', url: null, message: null });
  }, 120_000);
});
