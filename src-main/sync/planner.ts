import { fileOwnerOf, type ICloudAsset } from '../icloud/photos/asset.js';
import { pathKey } from '../tracker/tracker.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import { ListedKnownFiles, type KnownFiles } from '../tracker/known-files.js';
import { FOREIGN_OWNER, PathClaims, suffixedRelPath, type ClaimStore } from './naming/path-claims.js';
import { renderRelPath } from './naming/path-template.js';
import { splitExtension } from './naming/sanitize.js';
import type { AssetStage } from './asset-stage.js';
import { fileKey, type DiskFile, type PlanAction, type PlanCounts } from './plan-types.js';
import { passesFilters, wantedResources } from './resource-selection.js';
import type { SyncOptions } from './sync-options.js';

export interface PlanContext {
  /** The tracked files: asked one at a time (SQL in a real run), or a list. */
  tracked: ReadonlyArray<TrackedFile> | KnownFiles;
  /** Files in the folder the tracker does not know. */
  untracked: ReadonlyArray<DiskFile>;
  /** Folders in the sync folder: a photo whose name one of them has takes its suffixed name. */
  folders?: ReadonlyArray<string>;
  /** Album names per asset id; needed for album filters and the {album} template. */
  albumsOf?: ReadonlyMap<string, ReadonlyArray<string>>;
  options: SyncOptions;
  /** The template differs from the one the tracked files were laid out with. */
  templateChanged: boolean;
}

/** The filter rule staged with each asset: type/library/date filters, then the album selection. */
export function wantedBy(options: SyncOptions, albumsOf?: ReadonlyMap<string, ReadonlyArray<string>>): (asset: ICloudAsset) => boolean {
  const wantedAlbums = new Set(options.albums);
  return (asset) =>
    passesFilters(asset, options) && (wantedAlbums.size === 0 || (albumsOf?.get(asset.id) ?? []).some((a) => wantedAlbums.has(a)));
}

/**
 * Decides what a run does, without touching anything but the stage. Deterministic: the same inputs
 * in any order give the same plan, so collision suffixes never flip between runs. Actions go to
 * `emit` as they are decided (filtered skips first, by id); the counts come back.
 */
export function planStaged(stage: AssetStage, context: PlanContext, emit: (action: PlanAction) => void): PlanCounts {
  return stage.inTransaction(() => planInStage(stage, context, emit));
}

function planInStage(stage: AssetStage, context: PlanContext, emit: (action: PlanAction) => void): PlanCounts {
  const { options } = context;
  const counts = emptyCounts();
  const push = (action: PlanAction) => {
    countAction(counts, action);
    emit(action);
  };
  if (options.recent !== null) stage.keepMostRecent(options.recent);
  for (const id of stage.filteredIds()) push({ kind: 'skip', reason: 'filtered', assetId: id, version: null, relPath: null });
  const known = Array.isArray(context.tracked) ? new ListedKnownFiles(context.tracked) : (context.tracked as KnownFiles);
  const untrackedByKey = new Map(context.untracked.map((f) => [pathKey(f.relPath), f]));
  // A tracked file holds its own path (asked of the tracker, not copied); a path nobody tracks
  // that is taken on disk (an untracked file, a folder) is held by the disk. Both are asked only
  // when a path is claimed: a run with nothing to place asks nothing.
  const onDisk = new Set([...context.untracked.map((f) => f.relPath), ...(context.folders ?? [])].map((path) => pathKey(path)));
  const claims = new PathClaims(claimsOverTracked(stage.claimStore(), known, onDisk));

  // Duplicates (several entries on one master) share the master's files: the first entry in claim
  // order (added first) that wants any of them places them. Each entry's edit is its own file.
  const sharedMasters = stage.sharedMasters();
  const masterPlaced = new Set<string>();
  const earlierEdits = new EarlierEdits(known.editedFiles(), (editId) => stage.has(editId));

  // Claim order decides who keeps a plain name: oldest addition first, then id.
  for (const asset of stage.keptInClaimOrder()) {
    const album = albumFor(asset.id, context);
    const placedBefore = masterPlaced.has(asset.id);
    for (const { resource, fileName } of wantedResources(asset, options)) {
      if (resource.version !== 'edited') {
        if (placedBefore) continue;
        if (sharedMasters.has(asset.id)) masterPlaced.add(asset.id);
      }
      const owner = fileOwnerOf(asset, resource.version);
      const key = fileKey(owner, resource.version);
      const plain = renderRelPath(asset, fileName, { template: options.template, dateZone: options.dateZone, album });
      const file = known.get(owner, resource.version);
      const skip = (reason: 'already-have' | 'deleted-locally', relPath: string) =>
        push({ kind: 'skip', reason, assetId: owner, version: resource.version, relPath });
      const original = known.get(asset.id, 'original');
      // A re-edit: the edit's identity changed, and this entry's earlier edit is ours at its path.
      const earlier = !file && resource.version === 'edited' ? earlierEdits.take(asset) : undefined;
      if (file?.state === 'deleted-locally') {
        skip('deleted-locally', file.relPath);
      } else if (!file && original?.state === 'deleted-locally') {
        // The user deleted this photo: a later edit (or newly wanted version) does not bring it back.
        skip('deleted-locally', original.relPath);
      } else if (earlier?.state === 'deleted-locally') {
        skip('deleted-locally', earlier.relPath);
      } else if (earlier) {
        push({ kind: 'download', asset, resource, relPath: earlier.relPath, replaces: earlier });
      } else if (file) {
        // A file the user placed (moved or changed) stays where it is when the layout changes.
        const target = context.templateChanged && !file.placedByUser ? claims.claim(plain, key, owner) : file.relPath;
        if (pathKey(target) === pathKey(file.relPath)) skip('already-have', file.relPath);
        else push({ kind: 'move', asset, resource, file, relPath: target });
      } else {
        const adoptable = findAdoptable(plain, owner, resource.size, untrackedByKey, claims);
        if (adoptable) {
          claims.hold(adoptable.relPath, key);
          push({ kind: 'adopt', asset, resource, relPath: adoptable.relPath });
        } else {
          push({ kind: 'download', asset, resource, relPath: claims.claim(plain, key, owner) });
        }
      }
    }
  }
  return counts;
}

/**
 * Path claims of this run over the tracker's own and the disk's: a path claimed this run answers
 * first, then the tracked file at that path (its owner key), then a file or folder on disk the
 * tracker does not know (FOREIGN_OWNER), so neither the tracked paths nor the disk's are copied
 * into the store.
 */
function claimsOverTracked(store: ClaimStore, known: KnownFiles, onDisk: ReadonlySet<string>): ClaimStore {
  return {
    get: (key) => {
      const claimed = store.get(key);
      if (claimed !== undefined) return claimed;
      const file = known.atPathKey(key);
      if (file) return fileKey(file.assetId, file.version);
      return onDisk.has(key) ? FOREIGN_OWNER : undefined;
    },
    set: (key, owner) => store.set(key, owner),
  };
}

/**
 * Our edited files by the entry they came from, to find the file a re-edit replaces: by the CPLAsset
 * record name, or for rows from before edits had their own identity (no record name) by the master,
 * which then had one edit. An edit some listed entry still has is nobody's earlier edit (the other
 * copy of a Duplicate). Each earlier file is handed out once per run.
 */
class EarlierEdits {
  private readonly byRecord = new Map<string, TrackedFile>();
  private readonly legacyByMaster = new Map<string, TrackedFile>();

  constructor(
    tracked: ReadonlyArray<TrackedFile>,
    private readonly isCurrent: (editId: string) => boolean,
  ) {
    for (const f of tracked) {
      if (f.version !== 'edited') continue;
      if (f.assetRecord !== null) this.byRecord.set(f.assetRecord, f);
      else this.legacyByMaster.set(masterOfEdit(f.assetId), f);
    }
  }

  take(asset: ICloudAsset): TrackedFile | undefined {
    const byRecord = this.byRecord.get(asset.assetRecordName);
    if (byRecord && masterOfEdit(byRecord.assetId) === asset.id && !this.isCurrent(byRecord.assetId)) {
      this.byRecord.delete(asset.assetRecordName);
      return byRecord;
    }
    const legacy = this.legacyByMaster.get(asset.id);
    if (!legacy || this.isCurrent(legacy.assetId)) return undefined;
    this.legacyByMaster.delete(asset.id);
    return legacy;
  }
}

/** The master part of an edit identity (`<master>:<edit checksum>`; master names never hold ':'). */
function masterOfEdit(editId: string): string {
  const colon = editId.indexOf(':');
  return colon < 0 ? editId : editId.slice(0, colon);
}

function albumFor(assetId: string, input: PlanContext): string {
  const albums = [...(input.albumsOf?.get(assetId) ?? [])];
  const wanted = input.options.albums;
  const usable = wanted.length > 0 ? albums.filter((a) => wanted.includes(a)) : albums;
  return usable.sort(compare)[0] ?? '';
}

/**
 * An untracked file that is this resource: same name and size at the template path, at our own
 * collision name (a run that stopped between putting the file in place and recording it), or at
 * icloudpd's de-duplicated name for a second file of the same name ("IMG_1-1234.JPG").
 */
function findAdoptable(
  plain: string,
  assetId: string,
  size: number,
  untracked: ReadonlyMap<string, DiskFile>,
  claims: PathClaims,
): DiskFile | undefined {
  const slash = plain.lastIndexOf('/');
  const { stem, ext } = splitExtension(plain.slice(slash + 1));
  const candidates = [plain, suffixedRelPath(plain, assetId), `${plain.slice(0, slash + 1)}${stem}-${size}${ext}`];
  for (const candidate of candidates) {
    const onDisk = untracked.get(pathKey(candidate));
    if (onDisk && onDisk.size === size && claims.ownerOf(candidate) === FOREIGN_OWNER) return onDisk;
  }
  return undefined;
}

function emptyCounts(): PlanCounts {
  return { download: 0, adopt: 0, move: 0, alreadyHave: 0, deletedLocally: 0, filtered: 0, downloadBytes: 0 };
}

function countAction(counts: PlanCounts, action: PlanAction): void {
  if (action.kind === 'download') {
    counts.download++;
    counts.downloadBytes += action.resource.size;
  } else if (action.kind === 'adopt') counts.adopt++;
  else if (action.kind === 'move') counts.move++;
  else if (action.reason === 'already-have') counts.alreadyHave++;
  else if (action.reason === 'deleted-locally') counts.deletedLocally++;
  else counts.filtered++;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
