import type Database from 'better-sqlite3';
import type { AssetErrorRecord, RunCounts, RunOutcome, RunRecord } from './tracker-types.js';

/** The longest wait between two tries of a failing file, in runs. */
const MAX_RETRY_GAP = 32;

const RUN_COLUMNS = `id, started_at AS startedAt, ended_at AS endedAt, outcome, listing, downloaded, adopted, moved,
  skipped, deleted_noticed AS deletedNoticed, failed, bytes, error_code AS errorCode, error_message AS errorMessage`;

export interface RunEnd extends RunCounts {
  endedAt: number;
  outcome: RunOutcome;
  listing: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/** Run records and the per-asset errors that are retried on the next run. */
export class RunStore {
  private readonly insertRun;
  private readonly updateRun;
  private readonly selectRuns;
  private readonly upsertError;
  private readonly deleteError;
  private readonly selectErrors;
  private readonly deleteAllErrors;
  private readonly anyError;
  private readonly selectDue;
  private readonly deleteAssetErrors;
  private readonly makeAllDue;

  constructor(private readonly db: Database.Database) {
    this.insertRun = db.prepare(`INSERT INTO runs (started_at, outcome) VALUES (?, 'running')`);
    this.updateRun = db.prepare(`UPDATE runs SET ended_at = @endedAt, outcome = @outcome, listing = @listing,
      downloaded = @downloaded, adopted = @adopted, moved = @moved, skipped = @skipped,
      deleted_noticed = @deletedNoticed, failed = @failed, bytes = @bytes,
      error_code = @errorCode, error_message = @errorMessage WHERE id = @id`);
    this.selectRuns = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?`);
    // Backoff in runs: after attempt n the file is tried again n-th power of 2 runs later (at most MAX_RETRY_GAP).
    this.upsertError = db.prepare(`INSERT INTO asset_errors (asset_id, version, message, attempts, first_at, last_at, run_id, asset_json, next_try_run)
      VALUES (@assetId, @version, @message, 1, @at, @at, @runId, @assetJson, coalesce(@runId, 0) + 1)
      ON CONFLICT (asset_id, version) DO UPDATE SET message = excluded.message, attempts = attempts + 1,
        last_at = excluded.last_at, run_id = excluded.run_id, asset_json = coalesce(excluded.asset_json, asset_json),
        next_try_run = coalesce(excluded.run_id, 0) + min(1 << attempts, ${MAX_RETRY_GAP})`);
    this.selectDue = db.prepare(`SELECT DISTINCT asset_json FROM asset_errors WHERE asset_json IS NOT NULL AND next_try_run <= ?`).pluck();
    this.deleteError = db.prepare(`DELETE FROM asset_errors WHERE asset_id = ? AND version = ?`);
    this.deleteAllErrors = db.prepare(`DELETE FROM asset_errors`);
    // An edit's file identity is `<master>:<edit checksum>` (issue 8): it leaves with its master.
    this.deleteAssetErrors = db.prepare(`DELETE FROM asset_errors WHERE asset_id = @id OR substr(asset_id, 1, length(@id) + 1) = @id || ':'`);
    this.makeAllDue = db.prepare(`UPDATE asset_errors SET next_try_run = 0 WHERE next_try_run > 0`);
    this.anyError = db.prepare(`SELECT 1 FROM asset_errors LIMIT 1`).pluck();
    this.selectErrors = db.prepare(`SELECT asset_id AS assetId, version, message, attempts, first_at AS firstAt,
      last_at AS lastAt FROM asset_errors ORDER BY last_at DESC`);
  }

  startRun(startedAt: number): number {
    return Number(this.insertRun.run(startedAt).lastInsertRowid);
  }

  finishRun(id: number, end: RunEnd): void {
    this.updateRun.run({ errorCode: null, errorMessage: null, ...end, id });
  }

  lastRuns(limit = 10): RunRecord[] {
    return this.selectRuns.all(limit) as RunRecord[];
  }

  /** `assetJson` (the listed asset) lets an incremental run retry the file without a full listing. */
  recordAssetError(assetId: string, version: string, message: string, runId: number | null, at: number, assetJson: string | null = null): void {
    this.upsertError.run({ assetId, version, message, runId, at, assetJson });
  }

  /** Drops the retry entries of assets that left iCloud (nothing left to retry). */
  forgetAssetErrors(assetIds: readonly string[]): void {
    if (assetIds.length === 0 || this.anyError.get() === undefined) return;
    this.db.transaction(() => {
      for (const id of assetIds) this.deleteAssetErrors.run({ id });
    })();
  }

  /** The assets (as recorded JSON) whose failed files are due for another try in run `runId`. */
  dueRetries(runId: number): string[] {
    return this.selectDue.all(runId) as string[];
  }

  /**
   * "Retry" on the items that need attention: every failing file is due in the next run, whatever its
   * backoff said. Its attempts are kept, so a file that fails again backs off as before. Returns how many waited.
   */
  makeAllRetriesDue(): number {
    return this.makeAllDue.run().changes;
  }

  /** Failed files tried at least `minAttempts` times: shown as needing attention. */
  needingAttention(minAttempts: number): AssetErrorRecord[] {
    return this.assetErrors().filter((error) => error.attempts >= minAttempts);
  }

  /** Whether any retry entry exists (a batch of finished files skips clearing when none does). */
  hasAssetErrors(): boolean {
    return this.anyError.get() !== undefined;
  }

  clearAssetError(assetId: string, version: string): void {
    this.deleteError.run(assetId, version);
  }

  /** After a complete full listing nothing is pending: errors left belong to files no longer wanted. Writes nothing when none are left. */
  clearAllAssetErrors(): void {
    if (this.anyError.get() !== undefined) this.deleteAllErrors.run();
  }

  assetErrors(): AssetErrorRecord[] {
    return this.selectErrors.all() as AssetErrorRecord[];
  }
}
