/**
 * The sync service against the simulator: real iCloud client over HTTP, real engine, real files
 * and tracker, a temp data folder. The simulator is reached through the service's client factory
 * (code, not environment variables); the environment the service sees is only what a test gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { iCloudClientFactory, type ClientFactory, type ClientTuning } from '../../src-main/app/client-factory.js';
import { serviceBridge } from '../../src-main/app/service-bridge.js';
import { SyncService, type SyncServiceOptions } from '../../src-main/app/sync-service.js';
import { dataPaths, trackerFile } from '../../src-main/config/paths.js';
import type { AppBridge, AppCommand, AppEvent, AppSnapshot, CommandReply } from '../../src-shared/contract.js';
import { simLookup } from '../sim/lookup.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/server.js';

const FAST_RETRY = { retries: 1, baseMs: 5, capMs: 20, jitterMs: 5, maxWaitMs: 3_000 };

export interface ServiceWorld {
  sim: Simulator;
  dataDir: string;
  folder: string;
  service: SyncService;
  bridge: AppBridge;
  events: AppEvent[];
  trackerPath: string;
  send<C extends AppCommand>(command: C): Promise<CommandReply<C['type']>>;
  /** Sends a command that must succeed; returns its result. */
  ok<C extends AppCommand>(command: C): Promise<Extract<CommandReply<C['type']>, { ok: true }>['result']>;
  /** Resolves with the first snapshot (current or coming) that matches; fails with the last one seen. */
  until(match: (snapshot: AppSnapshot) => boolean, ms?: number): Promise<AppSnapshot>;
  /** Resolves when a run that started after this call has finished. */
  nextRunFinished(ms?: number): Promise<Extract<AppEvent, { type: 'run-finished' }>['run']>;
  close(): Promise<void>;
}

/** The real iCloud client and Photos library, pointed at the simulator, with short waits. */
export function simClientFactory(sim: Simulator, client: ClientTuning['client'] = {}): ClientFactory {
  return iCloudClientFactory({
    endpoints: { auth: sim.urls.auth, setup: sim.urls.setup, webOrigin: sim.urls.webOrigin },
    client: { dnsLookup: simLookup as unknown as LookupFunction, signInRetry: FAST_RETRY, cloudKitRetry: { ...FAST_RETRY, retries: 3 }, timeoutMs: 10_000, ...client },
    download: { baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 8, maxUrlRefreshes: 5, idleTimeoutMs: 5_000 },
  });
}

export async function openServiceWorld(
  simOptions: Partial<SimulatorOptions> = {},
  serviceOptions: (sim: Simulator) => Partial<SyncServiceOptions> = () => ({}),
): Promise<ServiceWorld> {
  const sim = await startSimulator({ mfa: 'device', assets: 20, ...simOptions });
  const base = mkdtempSync(join(tmpdir(), 'service-world-'));
  const dataDir = join(base, 'data');
  const folder = join(base, 'Photos');
  const service = new SyncService({
    dataDir,
    clientFactory: simClientFactory(sim),
    env: {},
    firstRunDelayMs: 20,
    ...serviceOptions(sim),
  });
  const events: AppEvent[] = [];
  service.onEvent((event) => events.push(event));
  await service.start();
  const bridge = serviceBridge(service);
  const world: ServiceWorld = {
    sim, dataDir, folder, service, bridge, events,
    trackerPath: trackerFile(dataPaths(dataDir), sim.account.appleId),
    ...bridgeHelpers(bridge),
    close: async () => {
      await service.stop();
      const violations = sim.violations();
      await sim.close();
      rmSync(base, { recursive: true, force: true });
      expect(violations).toEqual([]);
    },
  };
  return world;
}

/** Commands and waits over any AppBridge (the service's in-process one, the tray app's). */
export function bridgeHelpers(bridge: AppBridge): Pick<ServiceWorld, 'send' | 'ok' | 'until' | 'nextRunFinished'> {
  return {
    send: (command) => bridge.send(command),
    ok: async (command) => {
      const reply = await bridge.send(command);
      if (!reply.ok) throw new Error(`${command.type} refused: ${reply.error.code} ${reply.error.message}`);
      return reply.result as never;
    },
    until: (match, ms = 30_000) =>
      new Promise((resolve, reject) => {
        let last: AppSnapshot | null = null;
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`no matching snapshot within ${ms} ms; last: ${JSON.stringify(last, null, 1)}`));
        }, ms);
        const check = (snapshot: AppSnapshot) => {
          last = snapshot;
          if (!match(snapshot)) return;
          clearTimeout(timer);
          stop();
          resolve(snapshot);
        };
        const stop = bridge.onSnapshot(check);
        void bridge.getSnapshot().then(check);
      }),
    nextRunFinished: (ms = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no run finished within ${ms} ms`)), ms);
        const stop = bridge.onEvent((event) => {
          if (event.type !== 'run-finished') return;
          clearTimeout(timer);
          stop();
          resolve(event.run);
        });
      }),
  };
}

/**
 * From an empty data folder: settings saved, signed in with a device code, first run finished.
 * `runMs`: how long that run may take (an archive stage after the sync is part of it).
 */
export async function signedInAndSynced(world: ServiceWorld, runMs?: number): Promise<void> {
  await world.ok({ type: 'save-settings', values: { appleId: world.sim.account.appleId, syncFolder: world.folder } });
  expect(await world.ok({ type: 'sign-in', appleId: world.sim.account.appleId, password: world.sim.account.password })).toEqual({ status: 'needs-code' });
  const finished = world.nextRunFinished(runMs);
  expect(await world.ok({ type: 'submit-code', code: world.sim.code })).toEqual({ status: 'ready' });
  expect((await finished).outcome).toBe('success');
}
