/**
 * The folder step of the first run, at the service: `check-folder` on real folders (new, filled by
 * an earlier download, one this user cannot write in), `save-settings` refusing a folder that
 * cannot be written, and the preview counting the files it recognised as the library's.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src-main/config/load-settings.js';
import { MARKER_FILE } from '../../src-main/sync/folder-marker.js';
import { onWindows } from '../support/platform-skips.js';
import { openServiceWorld, signedInAndSynced, type ServiceWorld } from './service-harness.js';

let worlds: ServiceWorld[] = [];
afterEach(async () => {
  for (const world of worlds) await world.close();
  worlds = [];
});

async function world(assets = 6): Promise<ServiceWorld> {
  const opened = await openServiceWorld({ assets });
  worlds.push(opened);
  return opened;
}

/** Every file under `dir` but our marker, relative. */
function filesIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath: string; isFile(): boolean }>)
    .filter((entry) => entry.isFile() && entry.name !== MARKER_FILE)
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

describe('check-folder and the folder step', () => {
  it('a new folder: writable (it will be created), free space, nothing found, nothing written', async () => {
    const w = await world();
    const folder = join(w.folder, 'not', 'there', 'yet');
    const check = await w.ok({ type: 'check-folder', folder });
    expect(check).toMatchObject({ folder, exists: false, writable: true, filesFound: 0, problem: null });
    expect(check.freeBytes).toBeGreaterThan(0);
    expect(existsSync(join(w.folder, 'not'))).toBe(false);
  });

  it('a folder with files in it: counts them, and the probe it wrote to test writing is gone', async () => {
    const w = await world();
    mkdirSync(join(w.folder, '2024', '07'), { recursive: true });
    writeFileSync(join(w.folder, '2024', '07', 'IMG_0001.JPG'), 'a');
    writeFileSync(join(w.folder, 'notes.txt'), 'b');
    const check = await w.ok({ type: 'check-folder', folder: `${w.folder}/` });
    expect(check).toMatchObject({ folder: w.folder, exists: true, writable: true, filesFound: 2, problem: null });
    expect(readdirSync(w.folder).sort()).toEqual(['2024', 'notes.txt']);
  });

  it('a path through a regular file cannot be written, even by root; save-settings refuses it and saves nothing', async () => {
    const w = await world();
    mkdirSync(w.folder, { recursive: true });
    const file = join(w.folder, 'a-file.txt');
    writeFileSync(file, 'x');
    const folder = join(file, 'Photos');
    expect(await w.ok({ type: 'check-folder', folder })).toMatchObject({
      folder, exists: false, writable: false, filesFound: 0,
      problem: `${folder} cannot be created: ${file} is a file, not a folder. Choose another folder.`,
    });
    expect(await w.ok({ type: 'check-folder', folder: file })).toMatchObject({ writable: false, problem: `${file} is a file, not a folder. Choose a folder.` });

    await w.ok({ type: 'save-settings', values: { syncFolder: w.folder, concurrency: 3 } });
    const refused = await w.send({ type: 'save-settings', values: { syncFolder: folder, concurrency: 2 } });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'CONFIG_INVALID',
        message: `A setting is not valid. ${folder} cannot be created: ${file} is a file, not a folder. Choose another folder.`,
        setting: { key: 'syncFolder', value: folder, allowed: 'a folder you can save files in', problem: `${folder} cannot be created: ${file} is a file, not a folder. Choose another folder.` },
      },
    });
    const saved = loadSettings({ env: {}, defaultConfigPath: join(w.dataDir, 'config.json') }).settings;
    expect(saved).toMatchObject({ syncFolder: w.folder, concurrency: 3 });
  });

  it('a read-only folder cannot be written', async (ctx) => {
    ctx.skip(onWindows, 'Windows has no POSIX file modes');
    ctx.skip(process.getuid?.() === 0, 'root may write in a read-only (0555) folder; the path through a file above covers root');
    const w = await world();
    const folder = join(w.folder, 'read-only');
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o555);
    try {
      const check = await w.ok({ type: 'check-folder', folder });
      expect(check).toMatchObject({ exists: true, writable: false });
      expect(check.problem).toContain('permission denied');
      expect((await w.send({ type: 'save-settings', values: { syncFolder: folder } })).ok).toBe(false);
    } finally {
      chmodSync(folder, 0o755);
    }
  });

  it('a folder an earlier download filled: check-folder counts its files, the preview recognises them all and downloads nothing', async () => {
    const w = await world(8);
    await signedInAndSynced(w);
    const earlier = filesIn(w.folder);
    expect(earlier.length).toBeGreaterThan(0);
    // Another downloader's copy: the same files and layout, without our marker.
    const other = join(w.folder, '..', 'Earlier download');
    cpSync(w.folder, other, { recursive: true, filter: (path) => !path.endsWith(MARKER_FILE) });

    expect(await w.ok({ type: 'check-folder', folder: other })).toMatchObject({ exists: true, writable: true, filesFound: earlier.length, problem: null });
    await w.ok({ type: 'pause', until: null });
    await w.ok({ type: 'save-settings', values: { syncFolder: other } });
    const preview = await w.ok({ type: 'preview' });
    expect(preview).toMatchObject({ outcome: 'success', recognised: earlier.length, download: 0 });
    expect(filesIn(other).sort()).toEqual(earlier.sort());
  }, 60_000);
});
