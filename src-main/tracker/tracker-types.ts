import type { LibraryKind, ResourceVersion } from '../icloud/photos/asset.js';

export type FileState = 'downloaded' | 'deleted-locally';

/** One file the engine put (or found) in the sync folder. Paths use '/' and are relative to the folder. */
export interface TrackedFile {
  /** The master record name, or for an edited version its edit identity (ICloudAsset.editId). */
  assetId: string;
  /** Edited versions: the CPLAsset record name the edit came from (null for other versions and migrated rows). */
  assetRecord: string | null;
  version: ResourceVersion;
  relPath: string;
  size: number;
  /** Our own SHA-256 of the bytes on disk, hex. */
  sha256: string;
  mtimeMs: number;
  /** Apple's content id of the resource: when it changes, iCloud has a different file (an edit). */
  fileChecksum: string;
  state: FileState;
  recordedAt: number;
  /** When the engine noticed the file was gone (deleted-locally only). */
  noticedAt: number | null;
  /** The user moved it here (or changed it): a layout change leaves it where it is. */
  placedByUser?: boolean;
}

/** A file to record: what the tracker keeps, before its state. assetRecord only matters for edits. */
export type NewTrackedFile = Omit<TrackedFile, 'state' | 'noticedAt' | 'assetRecord'> & { assetRecord?: string | null };

export interface SeenAsset {
  /** The master record name: one row per original, written from the entry added first. */
  id: string;
  /** The CPLAsset record name of that entry. */
  assetRecord?: string;
  library: LibraryKind;
  filename: string;
  assetDate: number;
  addedDate: number;
  changeTag: string;
}

export type RunOutcome =
  | 'running'
  | 'success'
  | 'partial'
  | 'interrupted'
  | 'failed'
  | 'mass-deletion'
  | 'folder-missing'
  | 'disk-full';

export interface RunCounts {
  downloaded: number;
  adopted: number;
  moved: number;
  skipped: number;
  deletedNoticed: number;
  failed: number;
  bytes: number;
}

export interface RunRecord extends RunCounts {
  id: number;
  startedAt: number;
  endedAt: number | null;
  outcome: RunOutcome;
  /** 'full' or 'incremental'. */
  listing: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface AssetErrorRecord {
  assetId: string;
  version: string;
  message: string;
  attempts: number;
  firstAt: number;
  lastAt: number;
}

export interface TrackerCounts {
  assets: number;
  downloaded: number;
  deletedLocally: number;
  bytesOnDisk: number;
  pendingErrors: number;
}
