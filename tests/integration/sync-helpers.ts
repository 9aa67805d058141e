import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import type { ResourceVersion } from '../../src-main/icloud/photos/asset.js';
import { runSync, type RunSyncOptions } from '../../src-main/sync/engine.js';
import { setupSyncFolder, TEMP_DIR } from '../../src-main/sync/folder-marker.js';
import type { SyncSummary } from '../../src-main/sync/sync-summary.js';
import { Tracker } from '../../src-main/tracker/tracker.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';
import type { SimAsset } from '../sim/library/index.js';
import type { SimulatorOptions } from '../sim/server.js';
import { openPhotoSession, type PhotoSession, type RunThrough } from './photos-helpers.js';

export interface SyncWorld {
  session: PhotoSession;
  folder: string;
  databasePath: string;
  /** One sync run through the real client (a fresh PhotoSource per run, like a new process). */
  run(options?: RunSyncOptions, through?: RunThrough): Promise<SyncSummary>;
  tracked(): TrackedFile[];
  close(): Promise<void>;
}

async function openSyncWorld(options: Partial<SimulatorOptions> = {}, setup = true): Promise<SyncWorld> {
  const session = await openPhotoSession(options);
  const base = await mkdtemp(join(tmpdir(), 'sync-world-'));
  const folder = join(base, 'Photos');
  const databasePath = join(base, 'data', 'sync.db');
  if (setup) setupSyncFolder(folder);
  return {
    session,
    folder,
    databasePath,
    run: (runOptions = {}, through = {}) => runSync({ source: session.newRun(through), folder, databasePath }, runOptions),
    tracked: () => {
      const tracker = Tracker.openSnapshot(databasePath);
      try {
        return tracker.allFiles();
      } finally {
        tracker.close();
      }
    },
    close: async () => {
      await session.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}

/**
 * Opens worlds for the tests of one describe block and closes each after its test. Returns the
 * opener; every test calls it once.
 */
export function syncWorlds(): (options?: Partial<SimulatorOptions>) => Promise<SyncWorld> {
  let current: SyncWorld | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => (current = await openSyncWorld(options));
}

/**
 * Every file under the folder (relative, '/'-separated) with its size; the engine's own entries included.
 * Safe to call while a sync runs: an entry renamed or removed between listing and stat is left out.
 */
export function listFolder(folder: string): Record<string, number> {
  const out: Record<string, number> = {};
  const visit = (dir: string) => {
    for (const entry of readdirOrNothing(dir)) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else {
        const stats = statSync(full, { throwIfNoEntry: false });
        if (stats) out[relative(folder, full).split(sep).join('/')] = stats.size;
      }
    }
  };
  visit(folder);
  return out;
}

function readdirOrNothing(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * (file identity, version) pairs the library should produce with default options: the master's
 * files once per master (Duplicates share them), each edit under `<master>:<edit checksum>`.
 */
export function expectedFileKeys(assets: Iterable<SimAsset>): string[] {
  const keys = new Set<string>();
  for (const asset of assets) {
    // A revoked item (ACCESS_DENIED) cannot be listed.
    if (asset.isDeleted || asset.isHidden || asset.accessDenied) continue;
    const versions: ResourceVersion[] = ['original'];
    if (asset.isRawPair) versions.push('alternative');
    if (asset.isLive) versions.push('live-video');
    for (const v of versions) keys.add(`${asset.masterId}/${v}`);
    const edit = asset.adjustmentType ? asset.resources.find((r) => r.on === 'asset') : undefined;
    if (edit) keys.add(`${asset.masterId}:${edit.fileChecksum}/edited`);
  }
  return [...keys].sort();
}

/** The tracked edited file of a simulator asset (its current edit, or any earlier one). */
export function trackedEditOf(files: ReadonlyArray<TrackedFile>, asset: SimAsset): TrackedFile | undefined {
  return files.find((f) => f.version === 'edited' && f.assetId.startsWith(`${asset.masterId}:`));
}

/** Each tracked, downloaded file is on disk with exactly the simulator's bytes and our recorded hash. */
export function expectFilesMatchSimulator(world: SyncWorld): TrackedFile[] {
  const files = world.tracked().filter((f) => f.state === 'downloaded');
  for (const file of files) {
    const content = world.session.library.contentOf(file.fileChecksum);
    expect(content, file.relPath).toBeDefined();
    const onDisk = readFileSync(join(world.folder, ...file.relPath.split('/')));
    expect(onDisk.equals(content!.read()), `bytes of ${file.relPath}`).toBe(true);
  }
  return files;
}

/**
 * Row dumps of every table but `runs`: what "writes nothing but a run record" compares. Reads the
 * file's bytes (the engine closes cleanly, so it is all there) because even a read-only connection
 * would leave -wal/-shm files behind.
 */
export function dumpTables(databasePath: string): string {
  const bytes = readFileSync(databasePath);
  bytes.fill(1, 18, 20);
  const db = new Database(bytes);
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('runs', 'sqlite_sequence') ORDER BY name`).pluck().all() as string[];
    return JSON.stringify(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

export function contentRequests(world: SyncWorld, status?: number): number {
  return world.session.sim.requestLog().filter((e) => e.role === 'content' && (status === undefined || e.status === status)).length;
}

export const tempDirOf = (world: SyncWorld) => join(world.folder, TEMP_DIR);
