/**
 * Quit from the tray while a file is half downloaded: the app stops the run before it exits, the
 * half file stays as a resumable temp file in the sync folder's temp folder, no partial file sits
 * under a real name, and the tracker records only complete files. The next launch resumes the temp
 * file where it stopped (a Range request) and finishes the run.
 *
 * The system shutting down (or the user logging off) does the same with no Quit from the tray. Linux
 * and macOS announce it with powerMonitor 'shutdown'; Windows sends each window 'query-session-end'
 * then 'session-end' and emits no before-quit. (A Linux log-off sends SIGTERM, which Electron turns
 * into app.quit(): the Quit path.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadHeldAfter, expectTrackerMatchesFolder, openDesktopWorld, signedInAndSynced, photoFiles, tempFiles, type DesktopWorld, type Launched } from './desktop-world.js';

const STALL_BYTES = 4096;
let world: DesktopWorld;
/** The launch running now: each test below ends with the app quit and the next one launches it again. */
let running: Launched;

beforeAll(async () => {
  world = await openDesktopWorld({ sim: { assets: 6 } });
  await signedInAndSynced(world);
  running = world;
}, 180_000);

afterAll(async () => {
  await world?.close();
});

/** After the app quit mid-download: the bytes received in one temp file, no new file under a real name. */
async function expectStoppedCleanly(before: string[]): Promise<void> {
  await running.desktop.electron.app.whenQuit();
  world.sim.setFaults({ stallAfterBytes: 0 });
  // The bytes received before the stop were written to the temp file when the run stopped.
  expect(tempFiles(world.folder)).toEqual([{ name: expect.stringMatching(/^[0-9a-f]{32}\.part$/), size: STALL_BYTES }]);
  expect(photoFiles(world.folder)).toEqual(before);
  expectTrackerMatchesFolder(world);
}

/** Launched again: the run resumes the temp file from where it stopped and finishes it. */
async function relaunchResumes(before: string[]): Promise<void> {
  running = await world.launch();
  const { app, desktop } = running;
  expect(app).not.toBeNull();
  expect(desktop.electron.app.hasSingleInstanceLock()).toBe(true);
  desktop.tray().menu?.click('Sync now');
  await expect.poll(() => app?.service.snapshot().recentRuns[0]?.outcome, { timeout: 60_000 }).toBe('success');
  expect(tempFiles(world.folder)).toEqual([]);
  expect(photoFiles(world.folder).length).toBe(before.length + 1);
  expectTrackerMatchesFolder(world);
}

describe('Quit or shut down during a download', () => {
  it('Quit from the tray leaves a resumable temp file and nothing partial under a real name; the next launch resumes it', async () => {
    const before = photoFiles(world.folder);
    await downloadHeldAfter(world, STALL_BYTES, running);
    running.desktop.tray().menu?.click('Quit');
    await expectStoppedCleanly(before);
    expect(running.desktop.electron.app.quitted).toBe(true);
    await relaunchResumes(before);
  }, 240_000);

  it('Linux and macOS shutdown (powerMonitor): held until the run stopped, then the app quits the same way', async () => {
    const before = photoFiles(world.folder);
    await downloadHeldAfter(world, STALL_BYTES, running);
    // Prevented: Electron keeps logind's delay lock until the app has quit.
    expect(running.desktop.electron.powerMonitor.shutdown()).toBe(true);
    await expectStoppedCleanly(before);
    await relaunchResumes(before);
  }, 240_000);

  it('Windows session end (no before-quit from Windows): the app stops the same way without holding the session open', async () => {
    const before = photoFiles(world.folder);
    await downloadHeldAfter(world, STALL_BYTES, running);
    const window = running.desktop.windows.find((each) => !each.isDestroyed());
    expect(window, 'the app opened its window at start').toBeDefined();
    let beforeQuit = 0;
    running.desktop.electron.app.on('before-quit', () => (beforeQuit += 1));
    // Not held: the files are safe without delaying the user's shutdown.
    expect(window?.endSession(['shutdown'])).toBe(false);
    await expectStoppedCleanly(before);
    // The one before-quit is the app's own app.quit() once its run stopped.
    expect(beforeQuit).toBe(1);
  }, 240_000);
});
