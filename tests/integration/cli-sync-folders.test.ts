import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MARKER_FILE } from '../../src-main/sync/folder-marker.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';
import { openSignedInCliWorld, trackedFiles, type SignedInCliWorld } from './cli-harness.js';

let world: SignedInCliWorld;
beforeEach(async () => {
  world = await openSignedInCliWorld({ assets: 12, seed: 21 });
});
afterEach(async () => world?.close());

const syncJson = async (args: string[], env: NodeJS.ProcessEnv = {}, expectedExit = 0) => {
  const result = await world.cli(['sync', ...args, '--json'], { env });
  expect(result.exitCode, result.stderr).toBe(expectedExit);
  return { summary: JSON.parse(result.stdout) as Record<string, unknown>, stderr: result.stderr };
};
const deletedLocally = () => trackedFiles(world.trackerPath).filter((f) => f.state === 'deleted-locally');
const onDisk = (file: TrackedFile) => join(world.folder, ...file.relPath.split('/'));

describe('a new, different or missing sync folder is not "every photo deleted" (real CLI)', () => {
  it('a new folder for the same account gets a full download; going back to the first folder finds its files', async () => {
    const { summary: first } = await syncJson([]);
    const total = first.downloaded as number;
    expect(total).toBeGreaterThan(5);

    const other = { ICLOUD_PHOTO_SYNC_SYNC_FOLDER: join(world.base, 'Other photos') };
    expect((await world.cli(['setup'], { env: other })).exitCode).toBe(0);
    const { summary: second } = await syncJson([], other);
    expect(second).toMatchObject({ outcome: 'success', downloaded: total, deletedNoticed: 0 });
    expect(deletedLocally()).toEqual([]);

    const { summary: back } = await syncJson([]);
    expect(back).toMatchObject({ outcome: 'success', downloaded: 0, deletedNoticed: 0 });
    expect(deletedLocally()).toEqual([]);
  });

  it("an unplugged drive's empty mount point: exit 8, doctor asks about the drive, and nothing is ever marked deleted", async () => {
    await syncJson([]);
    const unplugged = `${world.folder}.unplugged`;
    renameSync(world.folder, unplugged);
    mkdirSync(world.folder);

    expect((await world.cli(['sync'])).exitCode).toBe(8);
    const doctor = await world.cli(['doctor', '--offline']);
    expect(doctor.stdout).toMatch(/drive/);
    expect(doctor.stdout).not.toMatch(/run: icloud-photo-sync setup$/m);

    // Setting up the empty mount point anyway makes it a new folder: a full download, no deletions.
    expect((await world.cli(['setup'])).exitCode).toBe(0);
    const { summary: intoMountPoint } = await syncJson([]);
    expect(intoMountPoint).toMatchObject({ outcome: 'success', deletedNoticed: 0 });
    expect(deletedLocally()).toEqual([]);

    // The drive comes back: its own state is found again.
    rmSync(world.folder, { recursive: true });
    renameSync(unplugged, world.folder);
    const { summary: replugged } = await syncJson([]);
    expect(replugged).toMatchObject({ outcome: 'success', downloaded: 0, deletedNoticed: 0 });
    expect(deletedLocally()).toEqual([]);
  });

  it('every file gone at once: asks whether this is the right folder or drive, never to confirm; confirming needs the count', async () => {
    await syncJson([]);
    const files = trackedFiles(world.trackerPath);
    for (const file of files) rmSync(onDisk(file));
    expect(readFileSync(join(world.folder, MARKER_FILE)).length).toBeGreaterThan(0);

    const stopped = await world.cli(['sync']);
    expect(stopped.exitCode).toBe(6);
    expect(stopped.stderr).toContain('Is this the right folder or drive?');
    expect(stopped.stderr).not.toMatch(/confirm/i);

    const wrongCount = await world.cli(['sync', '--confirm-deletions', String(files.length - 1)]);
    expect(wrongCount.exitCode).toBe(6);
    expect(wrongCount.stderr).toContain(`${files.length}`);
    expect(deletedLocally()).toEqual([]);

    const { summary } = await syncJson(['--confirm-deletions', String(files.length)]);
    expect(summary).toMatchObject({ outcome: 'success', deletedNoticed: files.length, downloaded: 0 });
  });

  it('some files gone at once: the advice names the count to confirm', async () => {
    await syncJson([]);
    const victims = trackedFiles(world.trackerPath).slice(0, 6);
    for (const file of victims) rmSync(onDisk(file));
    const stopped = await world.cli(['sync']);
    expect(stopped.exitCode).toBe(6);
    expect(stopped.stderr).toContain(`--confirm-deletions ${victims.length}`);
    expect(deletedLocally()).toEqual([]);
  });
});
