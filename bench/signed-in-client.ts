import { mkdtemp, rm } from 'node:fs/promises';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ICloudClient } from '../src-main/icloud/client.js';
import { createPhotoLibrary } from '../src-main/icloud/photos/photo-library.js';
import type { PhotoSource } from '../src-main/icloud/photos/photo-source.js';
import { simLookup } from '../tests/sim/lookup.js';
import type { SimulatorOptions } from '../tests/sim/server.js';
import { startSimProcess, type SimProcess } from './sim-process.js';

export const benchLookup = simLookup as unknown as LookupFunction;

export interface BenchSession {
  sim: SimProcess;
  client: ICloudClient;
  /** A fresh PhotoSource on the signed-in client (production download settings, simulator DNS). */
  newSource(): PhotoSource;
  /** Cookie header the client would send to `url` (for the raw baselines). */
  cookieHeader(url: string): Promise<string>;
  close(): Promise<void>;
}

/** A simulator process and the real client signed in to it (mfa 'none': the password suffices). */
export async function openBenchSession(options: Partial<SimulatorOptions>): Promise<BenchSession> {
  const sim = await startSimProcess(options);
  const folder = await mkdtemp(join(tmpdir(), 'bench-session-'));
  try {
    const client = await ICloudClient.open({
      appleId: sim.account.appleId,
      sessionFolder: join(folder, 'sessions'),
      endpoints: { auth: sim.urls.auth, setup: sim.urls.setup, webOrigin: sim.urls.webOrigin },
      dnsLookup: benchLookup,
      passwordProvider: () => Promise.resolve(sim.account.password),
    });
    const state = await client.signIn(sim.account.password);
    if (state.status !== 'ready') throw new Error(`sign-in to the simulator ended in state ${state.status}`);
    return {
      sim,
      client,
      newSource: () => createPhotoLibrary({ transport: client.transport, download: { dnsLookup: benchLookup } }),
      cookieHeader: (url) => client.http.cookieJar.getCookieString(url),
      close: async () => {
        await sim.close();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sim.close();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
