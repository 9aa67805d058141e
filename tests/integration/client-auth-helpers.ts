import { mkdtemp, rm } from 'node:fs/promises';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ICloudClient, type ICloudClientOptions } from '../../src-main/icloud/client.js';
import type { Logger } from '../../src-main/icloud/logger.js';
import { simLookup } from '../sim/lookup.js';
import type { Simulator } from '../sim/server.js';

/** Fast retry policies: same logic as production, waits in milliseconds instead of seconds. */
const FAST_RETRY = { retries: 1, baseMs: 5, capMs: 20, jitterMs: 5, maxWaitMs: 3_000 };
const FAST_CLOUDKIT_RETRY = { retries: 3, baseMs: 5, capMs: 20, jitterMs: 5, maxWaitMs: 3_000 };

export async function tempFolder(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'client-auth-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

function clientOptions(sim: Simulator, sessionFolder: string, extra: Partial<ICloudClientOptions> = {}): ICloudClientOptions {
  return {
    appleId: sim.account.appleId,
    sessionFolder: join(sessionFolder, 'sessions'),
    endpoints: { auth: sim.urls.auth, setup: sim.urls.setup, webOrigin: sim.urls.webOrigin },
    dnsLookup: simLookup as unknown as LookupFunction,
    signInRetry: FAST_RETRY,
    cloudKitRetry: FAST_CLOUDKIT_RETRY,
    timeoutMs: 10_000,
    ...extra,
  };
}

export function openClient(sim: Simulator, folder: string, extra: Partial<ICloudClientOptions> = {}): Promise<ICloudClient> {
  return ICloudClient.open(clientOptions(sim, folder, extra));
}

/** Sign in with a device code, the common 2FA path. */
export async function signInWithDeviceCode(client: ICloudClient, sim: Simulator): Promise<void> {
  const state = await client.signIn(sim.account.password);
  if (state.status === 'ready') return;
  await client.requestCode({ channel: 'device' });
  await client.submitCode(sim.code);
}

/** A pino-like logger that keeps every line as pino would write it (JSON of object + msg). */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (obj: object, msg?: string) => {
    lines.push(JSON.stringify({ level, ...obj, msg }));
  };
  return { logger: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }, lines };
}
