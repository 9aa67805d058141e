import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER_FILE } from '../../src-main/sync/folder-marker.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';
import type { SimLibrary } from '../sim/library/index.js';
import { leakedSecrets, openSignedInCliWorld, trackedFiles, storedSessionSecrets, type SignedInCliWorld } from './cli-harness.js';
import { listFolder } from './sync-helpers.js';

let world: SignedInCliWorld;
let trackerPath: string;

const json = async (args: string[], expectedExit = 0) => {
  const result = await world.cli([...args, '--json']);
  expect(result.exitCode, result.stderr).toBe(expectedExit);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};
const tracked = (): TrackedFile[] => trackedFiles(trackerPath);
const downloadedFiles = () => tracked().filter((f) => f.state === 'downloaded');
const onDisk = (file: TrackedFile) => join(world.folder, ...file.relPath.split('/'));

function expectBytesMatchSimulator(files: TrackedFile[]): void {
  const library = world.sim.library as SimLibrary;
  for (const file of files) {
    expect(readFileSync(onDisk(file)).equals(library.contentOf(file.fileChecksum)?.read() ?? Buffer.alloc(0)), file.relPath).toBe(true);
  }
}

beforeAll(async () => {
  world = await openSignedInCliWorld({ assets: 16, seed: 11 });
  trackerPath = world.trackerPath;
});
afterAll(async () => world?.close());

describe('icloud-photo-sync sync / status / deleted (real CLI against the simulator)', () => {
  it('--dry-run prints the plan and writes nothing: no file, no database', async () => {
    const before = listFolder(world.folder);
    const plan = await json(['sync', '--dry-run', '--verbose']);
    expect(plan).toMatchObject({ outcome: 'success', dryRun: true });
    expect(plan.toDownload).toBeGreaterThan(10);
    expect((plan.plan as unknown[]).length).toBeGreaterThanOrEqual(plan.toDownload as number);
    expect(listFolder(world.folder)).toEqual(before);
    expect(existsSync(trackerPath)).toBe(false);
  });

  it('a full sync downloads the library byte for byte; a second sync downloads nothing', async () => {
    const first = await json(['sync']);
    expect(first).toMatchObject({ outcome: 'success', failed: 0, errorCode: null });
    const files = downloadedFiles();
    expect(files.length).toBe(first.downloaded);
    expect(files.length).toBeGreaterThan(10);
    expectBytesMatchSimulator(files);

    const folderAfterFirst = listFolder(world.folder);
    const second = await json(['sync']);
    // The second run lists only the changes since the first (none), so it plans nothing.
    expect(second).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 0, bytes: 0, toDownload: 0 });
    expect(listFolder(world.folder)).toEqual(folderAfterFirst);
  });

  it('status --json and --csv report the counts and the runs', async () => {
    const status = await json(['status']);
    expect(status.counts).toMatchObject({ downloaded: downloadedFiles().length, deletedLocally: 0 });
    const runs = status.runs as Array<Record<string, unknown>>;
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ outcome: 'success', downloaded: 0 });
    const csv = await world.cli(['status', '--csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id,startedAt,endedAt,outcome/);
    expect(lines).toHaveLength(3);
  });

  it('a file deleted locally stays deleted; restore brings it back on the next sync', async () => {
    const victim = downloadedFiles()[0] as TrackedFile;
    rmSync(onDisk(victim));
    expect(await json(['sync'])).toMatchObject({ outcome: 'success', deletedNoticed: 1, downloaded: 0 });
    expect(await json(['sync'])).toMatchObject({ outcome: 'success', downloaded: 0, deletedNoticed: 0 });
    expect(existsSync(onDisk(victim))).toBe(false);

    const listed = (await world.cli(['deleted', '--json'])).stdout;
    expect(JSON.parse(listed)).toEqual([expect.objectContaining({ relPath: victim.relPath, assetId: victim.assetId })]);

    const unknown = await world.cli(['deleted', 'restore', 'no/such/file.jpg']);
    expect(unknown.exitCode).toBe(12);
    const restored = await world.cli(['deleted', 'restore', onDisk(victim), '--json']);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toHaveLength(1);
    expect(await json(['sync'])).toMatchObject({ outcome: 'success', downloaded: 1 });
    expectBytesMatchSimulator([victim]);
  });

  it('many files vanishing at once stop the run (exit 6) until --confirm-deletions', async () => {
    const victims = downloadedFiles().slice(0, 8);
    for (const file of victims) rmSync(onDisk(file));
    const stopped = await world.cli(['sync']);
    expect(stopped.exitCode).toBe(6);
    expect(stopped.stderr).toContain('MASS_DELETION');
    expect(tracked().filter((f) => f.state === 'deleted-locally')).toHaveLength(0);
    expect(await json(['sync', '--confirm-deletions', String(victims.length)])).toMatchObject({ outcome: 'success', deletedNoticed: victims.length });
  });

  it('a folder without its marker (unplugged drive) stops the run with exit 8 and changes nothing', async () => {
    const marker = join(world.folder, MARKER_FILE);
    renameSync(marker, `${marker}.away`);
    const before = listFolder(world.folder);
    const result = await world.cli(['sync']);
    expect(result.exitCode).toBe(8);
    expect(result.stderr).toContain('FOLDER_MISSING');
    expect(listFolder(world.folder)).toEqual(before);
    renameSync(`${marker}.away`, marker);
  });

  it('no secret reached stdout, stderr or the logs', async () => {
    const outputs = await Promise.all([world.cli(['sync', '--log-level', 'trace']), world.cli(['status', '--log-level', 'trace'])]);
    const text = world.logText() + outputs.map((o) => o.stdout + o.stderr).join('');
    const secrets = { password: world.sim.account.password, code: world.sim.code, ...storedSessionSecrets(world.dataDir) };
    expect(leakedSecrets(text, secrets)).toEqual([]);
  });
});
