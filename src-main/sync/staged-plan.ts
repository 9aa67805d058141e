import type Database from 'better-sqlite3';
import { entryKeyOf, type ICloudAsset, type ResourceVersion } from '../icloud/photos/asset.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import { STAGE_BATCH, type AssetStage } from './asset-stage.js';
import type { PlanAction, PlanWork, WorkAction, WorkKind } from './plan-types.js';

interface ActionRow {
  seq: number;
  kind: WorkKind;
  version: ResourceVersion;
  rel_path: string;
  extra: string | null;
  /** The staged asset's JSON, joined in: one query per page instead of one per action. */
  json: string | null;
}

/**
 * The plan of a real run, kept in the stage file next to the listed assets: only the work (downloads,
 * adoptions, moves) is written, by entry key (entryKeyOf) and version. The executor reads it back a page at a time,
 * each action with its asset's data (resources, download URLs) from the stage.
 */
export class StagedPlan implements PlanWork {
  private readonly insert: Database.Statement;
  private pending: PlanAction[] = [];

  constructor(private readonly stage: AssetStage) {
    stage.db.exec(`CREATE TABLE IF NOT EXISTS actions (
      seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, asset_id TEXT NOT NULL, version TEXT NOT NULL,
      rel_path TEXT NOT NULL, extra TEXT)`);
    this.insert = stage.db.prepare('INSERT INTO actions (kind, asset_id, version, rel_path, extra) VALUES (?, ?, ?, ?, ?)');
  }

  /** Takes one planned action; skips are only counted by the planner, never stored. */
  add(action: PlanAction): void {
    if (action.kind === 'skip') return;
    this.pending.push(action);
    if (this.pending.length >= STAGE_BATCH) this.flush();
  }

  flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.stage.db.transaction(() => {
      for (const a of batch) {
        if (a.kind === 'skip') continue;
        const extra = a.kind === 'move' ? a.file : a.kind === 'download' ? a.replaces : undefined;
        this.insert.run(a.kind, entryKeyOf(a.asset), a.resource.version, a.relPath, extra ? JSON.stringify(extra) : null);
      }
    })();
  }

  /** The stored work of the given kinds, in plan order, a page at a time. */
  *work(kinds: ReadonlyArray<WorkKind>): Generator<WorkAction> {
    this.flush();
    const marks = kinds.map(() => '?').join(', ');
    const page = this.stage.db.prepare(`SELECT a.seq, a.kind, a.version, a.rel_path, a.extra, s.json
      FROM actions a LEFT JOIN staged s ON s.id = a.asset_id
      WHERE a.seq > ? AND a.kind IN (${marks}) ORDER BY a.seq LIMIT ?`);
    let after = 0;
    for (;;) {
      const rows = page.all(after, ...kinds, STAGE_BATCH) as ActionRow[];
      for (const row of rows) {
        const action = this.rebuild(row);
        if (action) yield action;
      }
      const last = rows.at(-1);
      if (last === undefined || rows.length < STAGE_BATCH) return;
      after = last.seq;
    }
  }

  private rebuild(row: ActionRow): WorkAction | undefined {
    const asset = row.json === null ? undefined : (JSON.parse(row.json) as ICloudAsset);
    const resource = asset?.resources.find((r) => r.version === row.version);
    if (!asset || !resource) return undefined; // cannot happen: the plan was made from these rows
    const base = { asset, resource, relPath: row.rel_path };
    if (row.kind === 'adopt') return { kind: 'adopt', ...base };
    const extra = row.extra === null ? undefined : (JSON.parse(row.extra) as TrackedFile);
    if (row.kind === 'move') return extra ? { kind: 'move', ...base, file: extra } : undefined;
    return extra ? { kind: 'download', ...base, replaces: extra } : { kind: 'download', ...base };
  }
}
