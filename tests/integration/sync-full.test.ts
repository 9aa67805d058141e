import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKER_FILE } from '../../src-main/sync/folder-marker.js';
import type { SyncEvent } from '../../src-main/sync/sync-events.js';
import { contentRequests, dumpTables, expectedFileKeys, expectFilesMatchSimulator, listFolder, syncWorlds, tempDirOf } from './sync-helpers.js';

describe('sync: a full library into an empty folder', () => {
  const openWorld = syncWorlds();

  it('reproduces the library byte for byte, hostile names safely inside, then a second run does nothing', async () => {
    const world = await openWorld({ assets: 45 });
    const events: SyncEvent[] = [];
    const first = await world.run({ onEvent: (e) => events.push(e) });
    expect(first).toMatchObject({ outcome: 'success', errorCode: null, listing: 'full', failures: [] });
    const files = expectFilesMatchSimulator(world);
    const keys = files.map((f) => `${f.assetId}/${f.version}`).sort();
    expect(keys).toEqual(expectedFileKeys(world.session.library.assets()));
    expect(first.downloaded).toBe(files.length);
    expect(first.bytes).toBe(files.reduce((s, f) => s + f.size, 0));

    // Every file on disk is a tracked one (no strays, no temp files), all inside the folder.
    const onDisk = listFolder(world.folder);
    delete onDisk[MARKER_FILE];
    expect(Object.keys(onDisk).sort()).toEqual(files.map((f) => f.relPath).sort());
    expect(existsSync(tempDirOf(world)) ? readdirSync(tempDirOf(world)) : []).toEqual([]);
    expect(readdirSync(join(world.folder, '..')).sort()).toEqual(['Photos', 'data']);
    for (const name of files.map((f) => f.relPath.split('/').at(-1) ?? '')) {
      // eslint-disable-next-line no-control-regex -- control characters must not survive
      expect(name).not.toMatch(/[<>:"\\|?*\u0000-\u001f]/);
      expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(name).toBe(name.normalize('NFC'));
    }
    const lowerPaths = files.map((f) => f.relPath.toLowerCase());
    expect(new Set(lowerPaths).size).toBe(lowerPaths.length);

    // mtime = the asset's capture date.
    const sample = files[0]!;
    const { statSync } = await import('node:fs');
    expect(Math.round(statSync(join(world.folder, sample.relPath)).mtimeMs)).toBe(sample.mtimeMs);

    // Events: phases in order, progress, one finished summary.
    const phases = events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []));
    expect(phases).toEqual(['scanning', 'listing', 'planning', 'transferring', 'finishing']);
    expect(events.filter((e) => e.type === 'progress').at(-1)).toMatchObject({ filesDone: files.length, filesTotal: files.length });
    expect(events.at(-1)).toMatchObject({ type: 'finished' });

    const tables = dumpTables(world.databasePath);
    const requestsBefore = contentRequests(world);
    const second = await world.run();
    expect(second).toMatchObject({ outcome: 'success', listing: 'incremental', downloaded: 0, bytes: 0 });
    expect(second.counts).toMatchObject({ download: 0, move: 0, adopt: 0 });
    expect(contentRequests(world)).toBe(requestsBefore);
    expect(dumpTables(world.databasePath)).toBe(tables);
  });
});
