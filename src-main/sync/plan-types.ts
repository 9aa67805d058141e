import type { AssetResource, ICloudAsset, ResourceVersion } from '../icloud/photos/asset.js';
import type { TrackedFile } from '../tracker/tracker-types.js';

export type SkipReason = 'already-have' | 'deleted-locally' | 'filtered';

export type PlanAction =
  /** Fetch the bytes. `replaces` is our own earlier edited file at the same path (a re-edit). */
  | { kind: 'download'; asset: ICloudAsset; resource: AssetResource; relPath: string; replaces?: TrackedFile }
  /** A matching file is already at this path (another downloader, or a crash before recording). */
  | { kind: 'adopt'; asset: ICloudAsset; resource: AssetResource; relPath: string }
  /** The template changed: move our file, never download it again. */
  | { kind: 'move'; asset: ICloudAsset; resource: AssetResource; file: TrackedFile; relPath: string }
  | { kind: 'skip'; reason: SkipReason; assetId: string; version: ResourceVersion | null; relPath: string | null };

export interface PlanCounts {
  download: number;
  adopt: number;
  move: number;
  alreadyHave: number;
  deletedLocally: number;
  /** Assets left out by the options (one per asset, not per file). */
  filtered: number;
  downloadBytes: number;
}

export interface SyncPlan {
  actions: PlanAction[];
  counts: PlanCounts;
}

/** An untracked file found in the sync folder. */
export interface DiskFile {
  relPath: string;
  size: number;
}

export const fileKey = (assetId: string, version: string) => `${assetId}\u0000${version}`;

/** The actions that do something (everything but skips). */
export type WorkKind = 'download' | 'adopt' | 'move';
export type WorkAction = Extract<PlanAction, { kind: WorkKind }>;

/** A plan's work as the executor reads it: in plan order, filtered by kind, never all at once. */
export interface PlanWork {
  work(kinds: ReadonlyArray<WorkKind>): Iterable<WorkAction>;
}
