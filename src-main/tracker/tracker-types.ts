import type { LibraryKind, ResourceVersion } from '../icloud/photos/asset.js';

export type FileState = 'downloaded' | 'deleted-locally';

/** One file the engine put (or found) in the sync folder. Paths use '/' and are relative to the folder. */
export interface TrackedFile {
  assetId: string;
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

export interface SeenAsset {
  id: string;
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
