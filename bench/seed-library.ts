import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataPaths, trackerFile } from '../src-main/config/paths.js';
import { settingsSchema } from '../src-main/config/settings.js';
import { toSyncOptions } from '../src-main/config/sync-settings.js';
import { readFolderId } from '../src-main/sync/folder-marker.js';
import { FINGERPRINT_SETTING, TEMPLATE_SETTING } from '../src-main/sync/setting-keys.js';
import { listingFingerprint, parseSyncOptions } from '../src-main/sync/sync-options.js';
import { Tracker } from '../src-main/tracker/tracker.js';
import type { NewTrackedFile, TrackedFile } from '../src-main/tracker/tracker-types.js';
import type { SeedAsset, SimProcess } from './sim-process.js';

const WRITERS = 16;
/** Seeded files hold zeros: the runs measured here never read a tracked file's bytes. */
const ZEROES = Buffer.alloc(1 << 20);
const SLOT_VERSION: Record<string, TrackedFile['version']> = { resOriginal: 'original', resOriginalVidCompl: 'live-video' };

/** Word characters, dots and dashes only, never a leading dot, at most 100 characters: the simulator's
 * hostile names (paths, "..", reserved words) are the naming tests' business, not the bench's. */
function plainName(filename: string): string {
  const plain = filename.replace(/[^\w.-]/g, '_').slice(-100);
  return plain.startsWith('.') || plain === '' ? `_${plain}` : plain;
}

/**
 * A Duplicate (iOS "Duplicate", or the same photo in both libraries) is a second entry on the same
 * master: a real sync writes the master's files once, placed by the entry added first (sync README,
 * "Identity"). Seeding every entry would leave the later copies' files on disk untracked (2,901 at
 * 100,000 photos), which a synced library does not have.
 */
function onePerMaster(assets: SeedAsset[]): SeedAsset[] {
  const first = new Map<string, SeedAsset>();
  for (const asset of [...assets].sort((a, b) => a.addedDate - b.addedDate)) {
    if (!first.has(asset.masterId)) first.set(asset.masterId, asset);
  }
  return [...first.values()];
}

/**
 * The state a finished first sync leaves, written directly (a first sync of 100,000 files need not
 * run every time): every asset's original and Live Photo video as a file of its real size in the
 * default layout, the tracker's rows for them, the change-feed tokens of every zone and database, the settings
 * fingerprint of the default settings and one successful run. Returns the number of files.
 */
export async function seedSyncedLibrary(sim: SimProcess, dataDir: string, folder: string): Promise<number> {
  const assets = onePerMaster(await sim.manifest());
  const tokens = await sim.zoneTokens();
  const databaseTokens = await sim.databaseTokens();
  const options = parseSyncOptions(toSyncOptions(settingsSchema.parse({ appleId: sim.account.appleId, syncFolder: folder })));
  const hashOfSize = new Map<number, string>();
  const taken = new Set<string>();
  const made = new Set<string>();
  const files: NewTrackedFile[] = [];
  const now = Date.now();
  for (const asset of assets) {
    const day = new Date(asset.assetDate).toISOString().slice(0, 10).split('-');
    for (const file of asset.files) {
      const original = plainName(asset.filename ?? `${asset.masterId.slice(0, 12)}.JPG`);
      const name = file.field === 'resOriginal' ? original : `${original.replace(/\.[^.]*$/, '')}.MOV`;
      let relPath = `${day.join('/')}/${name}`;
      for (let n = 1; taken.has(relPath.toLowerCase()); n++) relPath = `${day.join('/')}/${name.replace(/(\.[^.]*)?$/, ` (${n})$1`)}`;
      taken.add(relPath.toLowerCase());
      const dir = join(folder, ...day);
      if (!made.has(dir)) mkdirSync(dir, { recursive: true });
      made.add(dir);
      let sha256 = hashOfSize.get(file.size);
      if (!sha256) hashOfSize.set(file.size, (sha256 = createHash('sha256').update(ZEROES.subarray(0, file.size)).digest('hex')));
      files.push({ assetId: asset.masterId, version: SLOT_VERSION[file.field] ?? 'original', relPath, size: file.size, sha256, mtimeMs: asset.assetDate, fileChecksum: file.fileChecksum, recordedAt: now });
    }
  }
  // Many files at a time: creating 300,000 files one by one takes minutes on a busy disk.
  let next = 0;
  const writer = async () => {
    for (let file = files[next++]; file; file = files[next++]) await writeFile(join(folder, ...file.relPath.split('/')), ZEROES.subarray(0, file.size));
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const tracker = Tracker.open(trackerFile(dataPaths(dataDir), sim.account.appleId));
  try {
    tracker.recordAssets(assets.map((a) => ({ id: a.masterId, library: 'personal', filename: a.filename ?? '', assetDate: a.assetDate, addedDate: a.addedDate, changeTag: '' })), now);
    tracker.recordFiles(files);
    tracker.saveSyncTokens(tokens.map((t) => ({ ...t, library: t.zoneName.startsWith('SharedSync') ? 'shared' : 'personal' })), now, tracker.listingResets(), databaseTokens);
    tracker.setSetting(TEMPLATE_SETTING, options.template);
    // A finished first sync has recorded which folder its rows describe (folder-identity.ts).
    tracker.adoptFolderId(readFolderId(folder));
    tracker.setSetting(FINGERPRINT_SETTING, listingFingerprint(options));
    const run = tracker.runs.startRun(now);
    tracker.runs.finishRun(run, { endedAt: now, outcome: 'success', listing: 'full', downloaded: files.length, adopted: 0, moved: 0, skipped: 0, deletedNoticed: 0, failed: 0, bytes: files.reduce((s, f) => s + f.size, 0) });
  } finally {
    tracker.close();
  }
  return files.length;
}
