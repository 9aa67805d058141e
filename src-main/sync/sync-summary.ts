import type { ErrorCode } from '../../src-shared/errors.js';
import type { RunOutcome } from '../tracker/tracker-types.js';
import type { ResourceVersion } from '../icloud/photos/asset.js';
import type { FolderChange } from './folder-identity.js';
import type { PlanCounts, SyncPlan } from './plan-types.js';

export interface FileFailure {
  assetId: string;
  version: ResourceVersion;
  relPath: string;
  message: string;
}

/** A file the user changed, which the run left as it was instead of replacing or moving it. */
export interface KeptChange {
  relPath: string;
  /** Where iCloud's new version went instead (a re-edit), or null (a layout change left it in place). */
  newVersionAt: string | null;
}

/** What a run did, for the CLI, the app and the run record. */
export interface SyncSummary {
  runId: number | null;
  dryRun: boolean;
  outcome: Exclude<RunOutcome, 'running'>;
  /** Set when the run stopped early (FOLDER_MISSING, MASS_DELETION, DISK_FULL, AUTH_REQUIRED, ...). */
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  /** For THROTTLED: when Apple said to come back (ISO 8601), from the error that stopped the run. */
  retryAfter: string | null;
  listing: 'full' | 'incremental' | null;
  counts: PlanCounts | null;
  downloaded: number;
  adopted: number;
  moved: number;
  bytes: number;
  /** Files found gone from the folder this run (now marked deleted-locally). */
  deletedNoticed: number;
  /** Files found moved or renamed inside the folder this run. */
  movedByUser: number;
  /** Files not seen because their folder (or the file) is now a link: left alone, not marked deleted. */
  underLink: number;
  /** 'new': a sync folder the tracker never saw (everything is downloaded or adopted); 'returned': one seen before. */
  folderChange: FolderChange;
  /** For MASS_DELETION: how many tracked files vanished. */
  vanished: number;
  failures: FileFailure[];
  /** Files the user changed, left alone. */
  keptChanged: KeptChange[];
  /** The plan itself (always present on a dry run). */
  plan: SyncPlan | null;
  startedAt: number;
  endedAt: number;
}
