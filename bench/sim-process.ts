import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Simulator, SimulatorOptions } from '../tests/sim/server.js';

/** What the bench may ask the simulator process (answered in sim-child.ts). */
export type SimQuestion =
  | { ask: 'requests' }
  | { ask: 'urls'; checksums: string[] }
  | { ask: 'manifest' }
  | { ask: 'tokens' }
  | { ask: 'databaseTokens' }
  | { ask: 'add'; count: number }
  | { ask: 'change'; trash: number; hide: number; purge: number; add: number }
  | { ask: 'visible' }
  | { ask: 'cpu' };

export interface SeedAsset {
  masterId: string;
  filename: string | null;
  assetDate: number;
  addedDate: number;
  isLive: boolean;
  files: Array<{ field: string; fileChecksum: string; size: number }>;
}

export interface SimProcess {
  urls: Simulator['urls'];
  account: Simulator['account'];
  /** Requests served so far: to Apple's services, and to the download host. */
  requests(): Promise<{ apple: number; content: number }>;
  /** Fresh pre-signed download URLs of these resources (for the curl and raw baselines). */
  downloadUrls(checksums: string[]): Promise<string[]>;
  /** Every asset with its original and Live Photo video (to seed a tracker and a folder directly). */
  manifest(): Promise<SeedAsset[]>;
  zoneTokens(): Promise<Array<{ zoneName: string; token: string }>>;
  /** The private and shared databases' current positions (changes/database tokens). */
  databaseTokens(): Promise<Array<{ database: 'private' | 'shared'; token: string }>>;
  addAssets(count: number): Promise<number>;
  /** Trashes, hides and purges the newest photos and adds new ones (the listing bench, between pages). */
  changeLibrary(change: { trash: number; hide: number; purge: number; add: number }): Promise<number>;
  /** CPLAsset record names of the visible photos of the personal library. */
  visibleAssetIds(): Promise<string[]>;
  /** CPU seconds the simulator process has used so far (is it the simulator or the client that sets a time?). */
  cpuSeconds(): Promise<number>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./sim-child.ts', import.meta.url));

/** Starts the simulator in a child process (tsx) and resolves once it listens. */
export function startSimProcess(options: Partial<SimulatorOptions>): Promise<SimProcess> {
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send(options);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const ask = <T>(question: SimQuestion): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, question });
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`the simulator process exited early (code ${code})`));
      for (const waiter of pending.values()) waiter.reject(new Error('the simulator process exited'));
    });
    child.on('message', (message: { id?: number; answer?: unknown; error?: string } & Partial<Pick<SimProcess, 'urls' | 'account'>>) => {
      if (message.id === undefined) {
        resolve({
          urls: message.urls as SimProcess['urls'],
          account: message.account as SimProcess['account'],
          requests: () => ask({ ask: 'requests' }),
          downloadUrls: (checksums) => ask({ ask: 'urls', checksums }),
          manifest: () => ask({ ask: 'manifest' }),
          zoneTokens: () => ask({ ask: 'tokens' }),
          databaseTokens: () => ask({ ask: 'databaseTokens' }),
          addAssets: (count) => ask({ ask: 'add', count }),
          changeLibrary: (change) => ask({ ask: 'change', ...change }),
          visibleAssetIds: () => ask({ ask: 'visible' }),
          cpuSeconds: () => ask({ ask: 'cpu' }),
          close: async () => {
            if (child.connected) child.send('close');
            await exited;
          },
        });
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.answer);
    });
  });
}
