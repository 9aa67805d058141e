/**
 * Quit from the tray while a file is half downloaded: the app stops the run before it exits, the
 * half file stays as a resumable temp file in the sync folder's temp folder, no partial file sits
 * under a real name, and the tracker records only complete files. The next launch resumes the temp
 * file where it stopped (a Range request) and finishes the run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths, trackerFile } from '../../src-main/config/paths.js';
import { trackedFiles } from '../integration/cli-harness.js';
import { openDesktopWorld, signedInAndSynced, photoFiles, tempFiles, type DesktopWorld } from './desktop-world.js';

const STALL_BYTES = 4096;
let world: DesktopWorld;

beforeAll(async () => {
  world = await openDesktopWorld({ sim: { assets: 6 } });
  await signedInAndSynced(world);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

/** Every file the tracker calls downloaded, byte for byte what the simulator serves. */
function expectTrackerMatchesFolder(): void {
  const rows = trackedFiles(trackerFile(dataPaths(world.dataDir), world.sim.account.appleId)).filter((file) => file.state === 'downloaded');
  expect(photoFiles(world.folder)).toEqual(rows.map((row) => join(world.folder, ...row.relPath.split('/'))).sort());
  for (const row of rows) {
    const expected = world.sim.library.contentOf(row.fileChecksum)?.read();
    expect(readFileSync(join(world.folder, ...row.relPath.split('/'))).equals(expected ?? Buffer.alloc(0)), row.relPath).toBe(true);
  }
}

describe('Quit from the tray during a download', () => {
  it('leaves a resumable temp file and nothing partial under a real name; the next launch resumes it', async () => {
    const before = photoFiles(world.folder);
    world.sim.library.addAsset();
    world.sim.setFaults({ stallAfterBytes: STALL_BYTES });
    world.desktop.tray().menu?.click('Sync now');
    // The simulator holds the download after its first bytes: the run is in the middle of the file.
    await world.until((s) => s.progress?.phase === 'transferring' && s.progress.bytesDone >= STALL_BYTES, 60_000);

    world.desktop.tray().menu?.click('Quit');
    await world.desktop.electron.app.whenQuit();
    expect(world.desktop.electron.app.quitted).toBe(true);
    world.sim.setFaults({ stallAfterBytes: 0 });

    // The bytes received before Quit were written to the temp file when the run stopped.
    const temps = tempFiles(world.folder);
    expect(temps).toEqual([{ name: expect.stringMatching(/^[0-9a-f]{32}\.part$/), size: STALL_BYTES }]);
    expect(photoFiles(world.folder)).toEqual(before);
    expectTrackerMatchesFolder();

    // Launched again: the run resumes the temp file from where it stopped.
    const relaunch = await world.launch();
    expect(relaunch.app).not.toBeNull();
    expect(relaunch.desktop.electron.app.hasSingleInstanceLock()).toBe(true);
    relaunch.desktop.tray().menu?.click('Sync now');
    await expect.poll(() => relaunch.app?.service.snapshot().recentRuns[0]?.outcome, { timeout: 60_000 }).toBe('success');
    expect(tempFiles(world.folder)).toEqual([]);
    expect(photoFiles(world.folder).length).toBe(before.length + 1);
    expectTrackerMatchesFolder();
  }, 240_000);
});
