import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { partPath } from '../../src-main/sync/download-file.js';
import { runSync } from '../../src-main/sync/engine.js';
import { TEMP_DIR } from '../../src-main/sync/folder-marker.js';
import type { SyncSummary } from '../../src-main/sync/sync-summary.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';
import { collect } from './photos-helpers.js';
import { expectFilesMatchSimulator, syncWorlds, type SyncWorld } from './sync-helpers.js';
import { describePosixOnly } from '../support/platform-skips.js';

const LINK_MESSAGE = 'inside the sync folder is a link to somewhere else; iCloud Photo Sync never writes through links.';
const LINKS = 'creating symbolic links needs POSIX (Windows needs extra rights)';

/** A folder outside the sync folder that links point at; every test checks it stays as it was. */
let outside: string;
afterEach(() => outside && rmSync(outside, { recursive: true, force: true }));
const makeOutside = () => (outside = mkdtempSync(join(tmpdir(), 'sync-outside-')));

/** The relative paths a run would download, from a dry run (writes nothing). */
async function plannedPaths(world: SyncWorld): Promise<string[]> {
  const plan = await world.run({ dryRun: true });
  return plan.plan!.actions.flatMap((a) => (a.kind === 'download' ? [a.relPath] : []));
}

function expectLinkFailures(summary: SyncSummary, count: number): void {
  expect(summary.outcome).toBe('partial');
  expect(summary.failures).toHaveLength(count);
  for (const failure of summary.failures) expect(failure.message).toContain(LINK_MESSAGE);
}

describePosixOnly(LINKS)('sync: never writes through a link inside the sync folder (real files, real links)', () => {
  const openWorld = syncWorlds();

  it('a year folder linked outside: its files fail with a plain message, nothing lands outside, the rest downloads', async () => {
    const world = await openWorld({ assets: 20, seed: 5 });
    makeOutside();
    const paths = await plannedPaths(world);
    const year = paths[0]!.split('/')[0]!;
    symlinkSync(outside, join(world.folder, year), 'dir');
    const summary = await world.run();
    const underYear = paths.filter((p) => p.startsWith(`${year}/`));
    expectLinkFailures(summary, underYear.length);
    expect(summary.failures.map((f) => f.relPath).sort()).toEqual(underYear.sort());
    expect(summary.downloaded).toBe(paths.length - underYear.length);
    expect(readdirSync(outside)).toEqual([]);
    expectFilesMatchSimulator(world);

    // Removing the link is all it takes: the next run fills the real folder.
    rmSync(join(world.folder, year));
    expect(await world.run()).toMatchObject({ outcome: 'success', downloaded: underYear.length, failures: [] });
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a link at a temp file name is refused: the file it points at keeps its bytes', async () => {
    const world = await openWorld({ assets: 6, seed: 2 });
    makeOutside();
    const victim = join(outside, 'precious.txt');
    writeFileSync(victim, 'precious');
    const assets = await collect(world.session.photos.listAssets({ includeShared: true, includeHidden: false }));
    const asset = assets[0]!;
    const part = partPath(world.folder, asset, asset.resources[0]!);
    mkdirSync(dirname(part), { recursive: true });
    symlinkSync(victim, part);
    const summary = await world.run();
    expectLinkFailures(summary, 1);
    expect(summary.failures[0]!.assetId).toBe(asset.id);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readdirSync(outside)).toEqual(['precious.txt']);
  });

  it('a linked temp folder: every download is refused, nothing is written or removed outside', async () => {
    const world = await openWorld({ assets: 5, seed: 4 });
    makeOutside();
    writeFileSync(join(outside, 'someone-else.part'), 'keep me');
    symlinkSync(outside, join(world.folder, TEMP_DIR), 'dir');
    const paths = await plannedPaths(world);
    const summary = await world.run();
    expectLinkFailures(summary, paths.length);
    expect(summary.downloaded).toBe(0);
    expect(readdirSync(outside)).toEqual(['someone-else.part']);
    expect(readFileSync(join(outside, 'someone-else.part'), 'utf8')).toBe('keep me');
  });

  it('a template change that would move files into a linked folder moves nothing there', async () => {
    const world = await openWorld({ assets: 8, seed: 6 });
    makeOutside();
    const flat = await world.run({ template: '{name}' });
    expect(flat).toMatchObject({ outcome: 'success', failures: [] });
    const datedPaths = await plannedPathsAfterTemplateChange(world);
    const year = datedPaths[0]!.split('/')[0]!;
    symlinkSync(outside, join(world.folder, year), 'dir');
    const moved = await world.run();
    const intoYear = datedPaths.filter((p) => p.startsWith(`${year}/`));
    expectLinkFailures(moved, intoYear.length);
    expect(moved.moved).toBe(datedPaths.length - intoYear.length);
    expect(readdirSync(outside)).toEqual([]);
    // The files that could not move are still where they were, tracked and intact.
    expectFilesMatchSimulator(world);
  });

  it('the sync folder itself may be a link (e.g. to another disk): runs work normally', async () => {
    const world = await openWorld({ assets: 6, seed: 8 });
    makeOutside();
    const real = join(outside, 'disk');
    renameSync(world.folder, real);
    symlinkSync(real, world.folder, 'dir');
    const first = await runSync({ source: world.session.newRun(), folder: world.folder, databasePath: world.databasePath });
    expect(first).toMatchObject({ outcome: 'success', failures: [] });
    expect(first.downloaded).toBeGreaterThan(0);
    expectFilesMatchSimulator(world);
    expect(existsSync(join(real, TEMP_DIR))).toBe(false);
    expect(await world.run()).toMatchObject({ outcome: 'success', downloaded: 0, failures: [] });
  });
});

/** Where the default (dated) template puts the files of a flat folder: the moves of the next run. */
async function plannedPathsAfterTemplateChange(world: SyncWorld): Promise<string[]> {
  const plan = await world.run({ dryRun: true });
  const moves = plan.plan!.actions.flatMap((a) => (a.kind === 'move' ? [a.relPath] : []));
  expect(moves.length).toBeGreaterThan(0);
  return moves;
}

describePosixOnly(LINKS)('sync: a folder under a link is not "deleted by the user"', () => {
  const openWorld = syncWorlds();

  it('a subfolder moved to another disk and linked back: its files are reported under a link, never marked deleted', async () => {
    const world = await openWorld({ assets: 40, seed: 5 });
    makeOutside();
    await world.run();
    const byYear = new Map<string, TrackedFile[]>();
    for (const f of world.tracked()) {
      const top = f.relPath.split('/')[0]!;
      byYear.set(top, [...(byYear.get(top) ?? []), f]);
    }
    // The smallest year, so the mass-deletion stop cannot be what protects it.
    const [year, files] = [...byYear].sort((a, b) => a[1].length - b[1].length)[0]!;
    renameSync(join(world.folder, year), join(outside, year));
    symlinkSync(join(outside, year), join(world.folder, year), 'dir');

    const summary = await world.run();
    expect(summary).toMatchObject({ outcome: 'success', deletedNoticed: 0, underLink: files.length, downloaded: 0 });
    expect(world.tracked().filter((f) => f.state === 'deleted-locally')).toEqual([]);

    // Moved back as a real folder, everything is where the tracker says: nothing to do.
    rmSync(join(world.folder, year));
    renameSync(join(outside, year), join(world.folder, year));
    expect(await world.run()).toMatchObject({ outcome: 'success', deletedNoticed: 0, underLink: 0, downloaded: 0 });
    expectFilesMatchSimulator(world);
  });
});
