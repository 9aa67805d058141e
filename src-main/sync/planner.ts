import type { ICloudAsset } from '../icloud/photos/asset.js';
import { pathKey } from '../tracker/tracker.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import { FOREIGN_OWNER, PathClaims } from './naming/path-claims.js';
import { renderRelPath } from './naming/path-template.js';
import { splitExtension } from './naming/sanitize.js';
import { fileKey, type DiskFile, type PlanAction, type PlanCounts, type SyncPlan } from './plan-types.js';
import { passesFilters, wantedResources } from './resource-selection.js';
import type { SyncOptions } from './sync-options.js';

export interface PlanInput {
  /** What the listing returned (whole library, or only what changed). */
  assets: ReadonlyArray<ICloudAsset>;
  tracked: ReadonlyArray<TrackedFile>;
  /** Files in the folder the tracker does not know. */
  untracked: ReadonlyArray<DiskFile>;
  /** Album names per asset id; needed for album filters and the {album} template. */
  albumsOf?: ReadonlyMap<string, ReadonlyArray<string>>;
  options: SyncOptions;
  /** The template differs from the one the tracked files were laid out with. */
  templateChanged: boolean;
}

/**
 * Decides what a run does, without touching anything. Deterministic: the same inputs in any order
 * give the same plan, so collision suffixes never flip between runs.
 */
export function planSync(input: PlanInput): SyncPlan {
  const { options } = input;
  const actions: PlanAction[] = [];
  const selected = selectAssets(input, actions);
  const trackedByKey = new Map(input.tracked.map((f) => [fileKey(f.assetId, f.version), f]));
  const untrackedByKey = new Map(input.untracked.map((f) => [pathKey(f.relPath), f]));
  const claims = new PathClaims();
  for (const f of input.untracked) claims.hold(f.relPath, FOREIGN_OWNER);
  for (const f of input.tracked) claims.hold(f.relPath, fileKey(f.assetId, f.version));

  for (const asset of selected) {
    const album = albumFor(asset.id, input);
    for (const { resource, fileName } of wantedResources(asset, options)) {
      const key = fileKey(asset.id, resource.version);
      const plain = renderRelPath(asset, fileName, { template: options.template, dateZone: options.dateZone, album });
      const file = trackedByKey.get(key);
      const skip = (reason: 'already-have' | 'deleted-locally', relPath: string) =>
        actions.push({ kind: 'skip', reason, assetId: asset.id, version: resource.version, relPath });
      const original = trackedByKey.get(fileKey(asset.id, 'original'));
      if (file?.state === 'deleted-locally') {
        skip('deleted-locally', file.relPath);
      } else if (!file && original?.state === 'deleted-locally') {
        // The user deleted this photo: a later edit (or newly wanted version) does not bring it back.
        skip('deleted-locally', original.relPath);
      } else if (file && resource.version === 'edited' && file.fileChecksum !== resource.fileChecksum) {
        actions.push({ kind: 'download', asset, resource, relPath: file.relPath, replaces: file });
      } else if (file) {
        const target = input.templateChanged ? claims.claim(plain, key, asset.id) : file.relPath;
        if (pathKey(target) === pathKey(file.relPath)) skip('already-have', file.relPath);
        else actions.push({ kind: 'move', asset, resource, file, relPath: target });
      } else {
        const adoptable = findAdoptable(plain, resource.size, untrackedByKey, claims);
        if (adoptable) {
          claims.hold(adoptable.relPath, key);
          actions.push({ kind: 'adopt', asset, resource, relPath: adoptable.relPath });
        } else {
          actions.push({ kind: 'download', asset, resource, relPath: claims.claim(plain, key, asset.id) });
        }
      }
    }
  }
  return { actions, counts: countActions(actions) };
}

/** Dedupes, filters and orders the listing; records a 'filtered' skip for every asset left out. */
function selectAssets(input: PlanInput, actions: PlanAction[]): ICloudAsset[] {
  const byId = new Map<string, ICloudAsset>();
  // The same photo in both libraries is one photo: the personal entry wins.
  for (const asset of input.assets) {
    const seen = byId.get(asset.id);
    if (!seen || (seen.library === 'shared' && asset.library === 'personal')) byId.set(asset.id, asset);
  }
  const wantedAlbums = new Set(input.options.albums);
  let kept = [...byId.values()].filter((asset) => {
    const albums = input.albumsOf?.get(asset.id) ?? [];
    return passesFilters(asset, input.options) && (wantedAlbums.size === 0 || albums.some((a) => wantedAlbums.has(a)));
  });
  if (input.options.recent !== null) {
    kept = kept.sort((a, b) => b.assetDate - a.assetDate || compare(a.id, b.id)).slice(0, input.options.recent);
  }
  const keptIds = new Set(kept.map((a) => a.id));
  for (const id of [...byId.keys()].sort(compare)) {
    if (!keptIds.has(id)) actions.push({ kind: 'skip', reason: 'filtered', assetId: id, version: null, relPath: null });
  }
  // Claim order decides who keeps a plain name: oldest addition first, then id.
  return kept.sort((a, b) => a.addedDate - b.addedDate || compare(a.id, b.id));
}

function albumFor(assetId: string, input: PlanInput): string {
  const albums = [...(input.albumsOf?.get(assetId) ?? [])];
  const wanted = input.options.albums;
  const usable = wanted.length > 0 ? albums.filter((a) => wanted.includes(a)) : albums;
  return usable.sort(compare)[0] ?? '';
}

/**
 * An untracked file that is this resource: same name and size at the template path, or icloudpd's
 * de-duplicated name for a second file of the same name ("IMG_1-1234.JPG", its size in the name).
 */
function findAdoptable(
  plain: string,
  size: number,
  untracked: ReadonlyMap<string, DiskFile>,
  claims: PathClaims,
): DiskFile | undefined {
  const slash = plain.lastIndexOf('/');
  const { stem, ext } = splitExtension(plain.slice(slash + 1));
  const candidates = [plain, `${plain.slice(0, slash + 1)}${stem}-${size}${ext}`];
  for (const candidate of candidates) {
    const onDisk = untracked.get(pathKey(candidate));
    if (onDisk && onDisk.size === size && claims.ownerOf(candidate) === FOREIGN_OWNER) return onDisk;
  }
  return undefined;
}

function countActions(actions: ReadonlyArray<PlanAction>): PlanCounts {
  const counts: PlanCounts = { download: 0, adopt: 0, move: 0, alreadyHave: 0, deletedLocally: 0, filtered: 0, downloadBytes: 0 };
  for (const action of actions) {
    if (action.kind === 'download') {
      counts.download++;
      counts.downloadBytes += action.resource.size;
    } else if (action.kind === 'adopt') counts.adopt++;
    else if (action.kind === 'move') counts.move++;
    else if (action.reason === 'already-have') counts.alreadyHave++;
    else if (action.reason === 'deleted-locally') counts.deletedLocally++;
    else counts.filtered++;
  }
  return counts;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
