import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AssetStage, STAGE_BATCH } from '../../src-main/sync/asset-stage.js';
import { planStaged } from '../../src-main/sync/planner.js';
import { planSync } from './sync-plan-in-memory.js';
import { StagedPlan } from '../../src-main/sync/staged-plan.js';
import { errorCodeOf, errorMessageOf } from '../../src-main/sync/sync-error.js';
import { parseSyncOptions } from '../../src-main/sync/sync-options.js';
import { makeAsset, tracked } from './sync-fixtures.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const all = () => true;

describe('AssetStage', () => {
  it('keeps one row per photo: the personal entry wins, whichever library came first', () => {
    const stage = AssetStage.open();
    try {
      stage.add([makeAsset('a', { library: 'shared', filename: 'SHARED.JPG' }), makeAsset('b', { library: 'personal' })], all);
      stage.add([makeAsset('a', { library: 'personal', filename: 'MINE.JPG' }), makeAsset('b', { library: 'shared', filename: 'LATE.JPG' })], all);
      expect(stage.count()).toBe(2);
      const staged = new Map([...stage.keptInClaimOrder()].map((a) => [a.id, a]));
      expect(staged.get('a')?.filename).toBe('MINE.JPG');
      expect(staged.get('b')?.filename).toBe('IMG_b.JPG');
    } finally {
      stage.close();
    }
  });

  it('reads back in (date added, id) order across many pages, whatever order they were staged in', () => {
    const stage = AssetStage.open();
    try {
      const count = STAGE_BATCH * 2 + 7;
      const assets = Array.from({ length: count }, (_, i) => makeAsset(`id${String(i).padStart(5, '0')}`, { addedDate: 1000 + (i % 13) }));
      for (let i = assets.length; i > 0; i -= 300) stage.add(assets.slice(Math.max(0, i - 300), i).reverse(), all);
      const order = [...stage.keptInClaimOrder()].map((a) => [a.addedDate, a.id] as const);
      const expected = assets.map((a) => [a.addedDate, a.id] as const).sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1));
      expect(order).toEqual(expected);
    } finally {
      stage.close();
    }
  });

  it('keeps only the N most recent by capture date, ties by id, and lists the rest as filtered in id order', () => {
    const stage = AssetStage.open();
    try {
      stage.add([makeAsset('c', { assetDate: 5 }), makeAsset('a', { assetDate: 9 }), makeAsset('b', { assetDate: 9 }), makeAsset('d', { assetDate: 1 })], all);
      stage.keepMostRecent(2);
      expect([...stage.keptInClaimOrder()].map((a) => a.id).sort()).toEqual(['a', 'b']);
      expect([...stage.filteredIds()]).toEqual(['c', 'd']);
    } finally {
      stage.close();
    }
  });

  it('keeps its journal in memory (a throw-away file: no journal written and fsynced per transaction)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stage-journal-'));
    dirs.push(dir);
    const stage = AssetStage.open(join(dir, 'sync.db'));
    try {
      expect(stage.db.pragma('journal_mode', { simple: true })).toBe('memory');
      stage.add([makeAsset('p1', { addedDate: 1 }, ['original'])], all);
      expect(readdirSync(dir)).toEqual(['sync.db.staging']);
    } finally {
      stage.close();
    }
  });

  it('lives beside the database during a run and is deleted on close; a dry-run stage lives in the temp folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stage-test-'));
    dirs.push(dir);
    const db = join(dir, 'sync.db');
    const stage = AssetStage.open(db);
    stage.add([makeAsset('a')], all);
    expect(existsSync(`${db}.staging`)).toBe(true);
    stage.close();
    expect(readdirSync(dir)).toEqual([]);
    const dry = AssetStage.open();
    expect(dry.db.name.startsWith(tmpdir())).toBe(true);
    dry.close();
    expect(existsSync(dry.db.name)).toBe(false);
  });
});

describe('StagedPlan', () => {
  it('gives the executor the same work as the in-memory plan, in plan order, with assets rebuilt from the stage', () => {
    const options = parseSyncOptions({ dateZone: 'asset' });
    const assets = Array.from({ length: STAGE_BATCH + 20 }, (_, i) => makeAsset(`p${i}`, { filename: 'SAME.JPG', addedDate: i }, ['original', 'edited']));
    const old = makeAsset('p3', { filename: 'SAME.JPG', addedDate: 3 }, ['original', 'edited']);
    const context = { tracked: [tracked(old, 'x/old.JPG', { version: 'edited', fileChecksum: 'stale' })], untracked: [], options, templateChanged: false };
    const memory = planSync({ assets, ...context });
    const stage = AssetStage.open();
    try {
      stage.add(assets, all);
      const plan = new StagedPlan(stage);
      const counts = planStaged(stage, context, (a) => plan.add(a));
      expect(counts).toEqual(memory.counts);
      const work = memory.actions.filter((a) => a.kind !== 'skip');
      expect([...plan.work(['download', 'adopt', 'move'])]).toEqual(work);
      expect([...plan.work(['move', 'adopt'])]).toEqual([]);
    } finally {
      stage.close();
    }
  });
});

describe('a full disk while staging', () => {
  it('SQLite\'s SQLITE_FULL is reported as DISK_FULL with a plain message', () => {
    const stage = AssetStage.open();
    try {
      // A page limit makes SQLite run out of room exactly as a full disk does.
      stage.db.pragma('max_page_count = 8');
      const big = Array.from({ length: 200 }, (_, i) => makeAsset(`full${i}`, { filename: `${'X'.repeat(200)}${i}.JPG` }));
      let caught: unknown;
      try {
        stage.add(big, all);
      } catch (error) {
        caught = error;
      }
      expect((caught as { code?: string }).code).toBe('SQLITE_FULL');
      expect(errorCodeOf(caught)).toBe('DISK_FULL');
      expect(errorMessageOf(caught)).toMatch(/^No space left on the disk holding the sync database/);
    } finally {
      stage.close();
    }
  });
});
