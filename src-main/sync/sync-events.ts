import type { ArrivalPreview, ResourceVersion } from '../icloud/photos/asset.js';
import type { PlanCounts } from './plan-types.js';
import type { SyncSummary } from './sync-summary.js';

export type SyncPhase = 'scanning' | 'listing' | 'planning' | 'transferring' | 'finishing';

export interface SyncProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Average since the transfer phase started. */
  bytesPerSecond: number;
}

export type SyncEvent =
  | { type: 'phase'; phase: SyncPhase; listing?: 'full' | 'incremental'; counts?: PlanCounts; assets?: number }
  | ({ type: 'progress' } & SyncProgress)
  | {
      type: 'file';
      outcome: 'downloaded' | 'adopted' | 'moved' | 'failed';
      assetId: string;
      version: ResourceVersion;
      relPath: string;
      error?: string;
      /** For views: the asset's kind, duration and thumbnail link as listed in this run (not on failures). */
      preview?: ArrivalPreview;
    }
  | { type: 'finished'; summary: SyncSummary };

export type SyncEventListener = (event: SyncEvent) => void;
