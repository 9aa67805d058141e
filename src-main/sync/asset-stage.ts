import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from '../tracker/sqlite.js';
import { entryKeyOf, type ICloudAsset } from '../icloud/photos/asset.js';
import { PAGE_CACHE_KIB } from '../tracker/open-database.js';
import type { ClaimStore } from './naming/path-claims.js';

/** Rows per transaction when staging, and per query when reading back. */
export const STAGE_BATCH = 500;

interface StagedRow {
  id: string;
  added_date: number;
  json: string;
}

/**
 * The listed library, on disk instead of in memory: a throw-away SQLite file that the run fills page
 * by page and plans from in (date added, id) order, so a run holds about one page of assets at a
 * time whatever the size of the library. The same photo in both libraries is staged once (the
 * personal entry wins, like everywhere else). Rows are keyed by entry (entryKeyOf): a
 * Duplicate with its own edit is a row of its own, on the same master.
 */
export class AssetStage {
  private readonly insert: Database.Statement;
  private readonly byId: Database.Statement;
  private claimIndexBuilt = false;

  private constructor(
    readonly db: Database.Database,
    private readonly cleanup: () => void,
  ) {
    // A throw-away file: no journal on disk and no fsync (a crashed run's stage is deleted). Not
    // journal_mode OFF: better-sqlite3's defensive mode refuses it silently and kept a rollback
    // journal on disk, written and fsynced for every transaction.
    const mode = db.pragma('journal_mode = MEMORY', { simple: true });
    if (mode !== 'memory') throw new Error(`The stage's journal could not be kept in memory (SQLite kept "${String(mode)}").`);
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
    db.exec(`
      CREATE TABLE staged (
        id TEXT NOT NULL UNIQUE, master TEXT NOT NULL, library TEXT NOT NULL, added_date INTEGER NOT NULL,
        asset_date INTEGER NOT NULL, kept INTEGER NOT NULL, json TEXT NOT NULL
      ); -- a rowid table: rows of 1-2 KB of JSON are too big for WITHOUT ROWID
    `);
    this.insert = db.prepare(`
      INSERT INTO staged (id, master, library, added_date, asset_date, kept, json)
      VALUES (@id, @master, @library, @addedDate, @assetDate, @kept, @json)
      ON CONFLICT (id) DO UPDATE SET library = excluded.library, added_date = excluded.added_date,
        asset_date = excluded.asset_date, kept = excluded.kept, json = excluded.json
      WHERE staged.library = 'shared' AND excluded.library = 'personal'
    `);
    this.byId = db.prepare('SELECT json FROM staged WHERE id = ?').pluck();
  }

  /**
   * A stage in its own file. `besideDatabase` puts it next to the tracker (same disk); without it
   * (dry runs) it goes to the system temp folder, so nothing is written near the user's data.
   */
  static open(besideDatabase?: string): AssetStage {
    if (besideDatabase) {
      const path = `${besideDatabase}.staging`;
      rmSync(path, { force: true }); // a leftover from a crashed run: we hold the run lock
      return AssetStage.create(path, () => rmSync(path, { force: true }));
    }
    const dir = mkdtempSync(join(tmpdir(), 'icloud-photo-sync-stage-'));
    return AssetStage.create(join(dir, 'stage.db'), () => rmSync(dir, { recursive: true, force: true }));
  }

  private static create(path: string, cleanup: () => void): AssetStage {
    const db = openSqlite(path);
    try {
      return new AssetStage(db, cleanup);
    } catch (error) {
      db.close();
      cleanup();
      throw error;
    }
  }

  /** Stages one page; `wanted` decides whether an asset is kept by the filters (else it is skipped as filtered). */
  add(assets: ReadonlyArray<ICloudAsset>, wanted: (asset: ICloudAsset) => boolean): void {
    this.db.transaction(() => {
      for (const a of assets) {
        this.insert.run({ id: entryKeyOf(a), master: a.id, library: a.library, addedDate: a.addedDate, assetDate: a.assetDate, kept: wanted(a) ? 1 : 0, json: JSON.stringify(a) });
      }
    })();
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM staged').get() as { n: number }).n;
  }

  /** "Only the N most recent": a top-N over the kept rows, newest capture first, then id. */
  keepMostRecent(limit: number): void {
    this.db
      .prepare(`UPDATE staged SET kept = 0 WHERE kept = 1 AND id NOT IN (
        SELECT id FROM staged WHERE kept = 1 ORDER BY asset_date DESC, id LIMIT ?)`)
      .run(limit);
  }

  /**
   * Masters that more than one kept entry uses (iOS Duplicates, each with its own edit). Few, so
   * they are held in memory: the planner gives their original to the first of them only.
   */
  sharedMasters(): Set<string> {
    const masters = this.db.prepare('SELECT master FROM staged WHERE kept = 1 GROUP BY master HAVING count(*) > 1').pluck().all() as string[];
    return new Set(masters);
  }

  /** Entry keys (entryKeyOf) left out by the filters, in key order. */
  *filteredIds(): Generator<string> {
    const page = this.db.prepare('SELECT id FROM staged WHERE kept = 0 AND id > ? ORDER BY id LIMIT ?').pluck();
    let after = '';
    for (;;) {
      const ids = page.all(after, STAGE_BATCH) as string[];
      yield* ids;
      const last = ids.at(-1);
      if (last === undefined || ids.length < STAGE_BATCH) return;
      after = last;
    }
  }

  /** Kept assets in claim order: oldest addition first, then id. One page in memory at a time. */
  *keptInClaimOrder(): Generator<ICloudAsset> {
    if (!this.claimIndexBuilt) {
      // Built once, after staging: cheaper than keeping it up to date on every insert.
      this.db.exec('CREATE INDEX staged_claim ON staged (kept, added_date, id)');
      this.claimIndexBuilt = true;
    }
    const page = this.db.prepare(`SELECT id, added_date, json FROM staged
      WHERE kept = 1 AND (added_date, id) > (?, ?) ORDER BY added_date, id LIMIT ?`);
    let after: [number, string] = [Number.MIN_SAFE_INTEGER, ''];
    for (;;) {
      const rows = page.all(after[0], after[1], STAGE_BATCH) as StagedRow[];
      for (const row of rows) yield JSON.parse(row.json) as ICloudAsset;
      const last = rows.at(-1);
      if (last === undefined || rows.length < STAGE_BATCH) return;
      after = [last.added_date, last.id];
    }
  }

  /** Whether an entry with this key was listed (for an edit: whether that edit is still current). */
  has(key: string): boolean {
    return this.byId.get(key) !== undefined;
  }

  /** Path claims on disk: one row per planned file instead of one Map entry. */
  claimStore(): ClaimStore {
    this.db.exec('CREATE TABLE IF NOT EXISTS claims (path_key TEXT PRIMARY KEY, owner TEXT NOT NULL) WITHOUT ROWID');
    const get = this.db.prepare('SELECT owner FROM claims WHERE path_key = ?').pluck();
    const set = this.db.prepare('INSERT OR REPLACE INTO claims (path_key, owner) VALUES (?, ?)');
    return {
      get: (key) => get.get(key) as string | undefined,
      set: (key, owner) => set.run(key, owner),
    };
  }

  /** Runs `work` in one transaction: many small writes (claims) cost one commit. */
  inTransaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Closes and deletes the stage file. */
  close(): void {
    if (this.db.open) this.db.close();
    this.cleanup();
  }
}
