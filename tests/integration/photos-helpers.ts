import type { LookupFunction } from 'node:net';
import { afterEach, expect } from 'vitest';
import type { ICloudAsset, ResourceVersion } from '../../src-main/icloud/photos/asset.js';
import type { CloudKitTransport } from '../../src-main/icloud/photos/cloudkit-transport.js';
import { createPhotoLibrary, type PhotoLibraryOptions } from '../../src-main/icloud/photos/photo-library.js';
import type { PhotoSource } from '../../src-main/icloud/photos/photo-source.js';
import type { SimAsset, SimLibrary, SimResource } from '../sim/library/index.js';
import { simLookup } from '../sim/lookup.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/server.js';
import { captureLogger, openClient, signInWithDeviceCode, tempFolder } from './client-auth-helpers.js';

/** Same download logic as production, waits in milliseconds. */
const FAST_DOWNLOADS = { dnsLookup: simLookup as unknown as LookupFunction, baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 8, maxUrlRefreshes: 5, idleTimeoutMs: 5_000 };

export interface PhotoSession {
  sim: Simulator;
  library: SimLibrary;
  photos: PhotoSource;
  /** A second PhotoSource on the same signed-in client: a fresh run without cached zones. */
  newRun(through?: RunThrough): PhotoSource;
  logLines: string[];
  close(): Promise<void>;
}

/** How a test reaches the library in one run: `wrap` lets it act between requests (e.g. change the library after a page was answered). */
export interface RunThrough {
  wrap?: (transport: CloudKitTransport) => CloudKitTransport;
  listing?: PhotoLibraryOptions['listing'];
}

/** A simulator, the real ICloudClient signed in to it, and the Photos library over its transport. */
export async function openPhotoSession(options: Partial<SimulatorOptions> = {}): Promise<PhotoSession> {
  const sim = await startSimulator({ mfa: 'device', assets: 50, ...options });
  const folder = await tempFolder();
  // The password source lets the client renew an expired web session on its own, as unattended runs do.
  const client = await openClient(sim, folder.path, { passwordProvider: () => Promise.resolve(sim.account.password) });
  await signInWithDeviceCode(client, sim);
  expect(client.state.status).toBe('ready');
  const { logger, lines } = captureLogger();
  const newRun = ({ wrap = (transport) => transport, listing }: RunThrough = {}) =>
    createPhotoLibrary({ transport: wrap(client.transport), download: FAST_DOWNLOADS, logger, ...(listing ? { listing } : {}) });
  return {
    sim,
    library: sim.library as SimLibrary,
    photos: newRun(),
    newRun,
    logLines: lines,
    close: async () => {
      // The client can only read: nothing in any test may have tried to change iCloud.
      const violations = sim.violations();
      await sim.close();
      await folder.remove();
      expect(violations).toEqual([]);
    },
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** CloudKit requests the simulator served whose path ends with `suffix`. */
export function cloudKitCalls(sim: Simulator, suffix = ''): number {
  return sim.requestLog().filter((entry) => entry.role === 'ckdatabase' && entry.path.endsWith(suffix)).length;
}

const VERSION_OF_FIELD: Partial<Record<SimResource['field'], ResourceVersion>> = {
  resOriginal: 'original',
  resOriginalAlt: 'alternative',
  resOriginalVidCompl: 'live-video',
  resJPEGFull: 'edited',
  resVidFull: 'edited',
};

/** What the client should report for a simulated asset's resources: version -> size and checksum. */
export function expectedResources(asset: SimAsset): Record<string, { size: number; fileChecksum: string }> {
  const expected: Record<string, { size: number; fileChecksum: string }> = {};
  for (const resource of asset.resources) {
    const version = VERSION_OF_FIELD[resource.field];
    if (!version || (version === 'edited' && !asset.adjustmentType)) continue;
    expected[version] = { size: resource.size, fileChecksum: resource.fileChecksum };
  }
  return expected;
}

export function reportedResources(asset: ICloudAsset): Record<string, { size: number; fileChecksum: string }> {
  return Object.fromEntries(asset.resources.map((r) => [r.version, { size: r.size, fileChecksum: r.fileChecksum }]));
}

/** Opens sessions inside a test and closes (and checks) the open one after each test. */
export function photoSessions(): (options?: Partial<SimulatorOptions>) => Promise<PhotoSession> {
  let current: PhotoSession | undefined;
  afterEach(async () => {
    const closing = current;
    current = undefined;
    await closing?.close();
  });
  return async (options) => {
    current = await openPhotoSession(options);
    return current;
  };
}
