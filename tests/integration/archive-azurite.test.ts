/**
 * `icloud-photo-sync archive` (the real CLI) after real syncs from the simulator, into a real
 * Azurite through a recording proxy: names, bytes, tier and metadata of every blob, what a second
 * run costs, and what new photos cost.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobNameOf } from '../../src-main/archive/blob-names.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';
import { listBlobs, startAzureProxy, startAzurite, type Azurite, type AzureProxy } from '../support/azurite.js';
import { openSignedInCliWorld, trackedFiles, type SignedInCliWorld } from './cli-harness.js';

const CONTAINER = 'photos';
const PREFIX = 'icloud-photos';

let world: SignedInCliWorld;
let azurite: Azurite;
let proxy: AzureProxy;

const downloaded = (): TrackedFile[] => trackedFiles(world.trackerPath).filter((f) => f.state === 'downloaded');
const container = () => azurite.service.getContainerClient(CONTAINER);

async function cliJson(args: string[], expectedExit = 0) {
  const result = await world.cli([...args, '--json']);
  expect(result.exitCode, result.stderr).toBe(expectedExit);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await startAzureProxy(azurite.origin);
  await container().create();
  world = await openSignedInCliWorld({ assets: 8, seed: 18 });
  Object.assign(world.env, {
    ICLOUD_PHOTO_SYNC_ARCHIVE_CREDENTIAL: 'connection-string',
    ICLOUD_PHOTO_SYNC_ARCHIVE_CONTAINER: CONTAINER,
    ICLOUD_PHOTO_SYNC_ARCHIVE_CONNECTION_STRING: azurite.connectionString(proxy.origin),
  });
  const sync = await world.cli(['sync']);
  expect(sync.exitCode, sync.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await world?.close();
  await proxy?.close();
  await azurite?.stop();
});

// Each test runs the real CLI several times (sync and archive): minutes on a loaded machine.
describe('archive to Azure Blob Storage (Azurite)', { timeout: 180_000 }, () => {
  it('--dry-run lists what would be sent and makes no request', async () => {
    const plan = await cliJson(['archive', '--dry-run']);
    expect(plan).toMatchObject({ outcome: 'success', dryRun: true, uploaded: 0, toUpload: downloaded().length });
    expect((plan.planned as unknown[]).length).toBe(downloaded().length);
    expect(proxy.requests).toEqual([]);
  });

  it('a first archive puts every synced file in the container: named by content, byte-exact, Cool tier, with metadata', async () => {
    const files = downloaded();
    expect(files.length).toBeGreaterThan(5);
    const result = await cliJson(['archive']);
    expect(result).toMatchObject({ outcome: 'success', uploaded: files.length, failed: 0, errorCode: null });

    const blobs = await listBlobs(container());
    expect(blobs.map((b) => b.name).sort()).toEqual(files.map((f) => blobNameOf(PREFIX, f.sha256, f.relPath)).sort());
    for (const file of files) {
      const blob = container().getBlockBlobClient(blobNameOf(PREFIX, file.sha256, file.relPath));
      const bytes = await blob.downloadToBuffer();
      expect(bytes.equals(readFileSync(join(world.folder, ...file.relPath.split('/')))), file.relPath).toBe(true);
      const properties = await blob.getProperties();
      expect(properties.accessTier, file.relPath).toBe('Cool');
      expect(properties.metadata).toMatchObject({ icloudassetid: file.assetId, icloudversion: file.version, sha256: file.sha256 });
      expect(properties.metadata?.captured, file.relPath).toMatch(/^\d{4}-\d\d-\d\dT/);
      if (/\.jpe?g$/i.test(file.relPath)) expect(properties.contentType).toBe('image/jpeg');
      if (/\.mov$/i.test(file.relPath)) expect(properties.contentType).toBe('video/quicktime');
    }
  });

  it('a second run with nothing new sends no request at all', async () => {
    const before = proxy.requests.length;
    const result = await cliJson(['archive']);
    expect(result).toMatchObject({ outcome: 'success', uploaded: 0, toUpload: 0, alreadyArchived: downloaded().length });
    expect(proxy.requests.length).toBe(before);
  });

  it('after new photos are synced, the run sends only them: its cost grows with the change, not the library', async () => {
    const before = new Set(downloaded().map((f) => f.relPath));
    world.sim.library.addAsset({ filename: 'NEW_ONE.JPG' });
    world.sim.library.addAsset({ filename: 'NEW_TWO.JPG' });
    const sync = await world.cli(['sync']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    const added = downloaded().filter((f) => !before.has(f.relPath));
    expect(added.length).toBeGreaterThanOrEqual(2);

    const requestsBefore = proxy.requests.length;
    const result = await cliJson(['archive']);
    expect(result).toMatchObject({ outcome: 'success', uploaded: added.length, alreadyArchived: before.size });
    const sent = proxy.requests.slice(requestsBefore);
    // One Put Blob per new (small) file, nothing else.
    expect(sent.map((r) => r.method)).toEqual(added.map(() => 'PUT'));
    expect((await listBlobs(container())).length).toBe(downloaded().length);
  });

  it('a file the user deleted stays archived; --mirror removes it (and the guard stops a mass removal)', async () => {
    const files = downloaded();
    const victim = files[0]!;
    rmSync(join(world.folder, ...victim.relPath.split('/')));
    expect((await world.cli(['sync'])).exitCode).toBe(0);
    expect((await cliJson(['archive'])).removed).toBe(0);
    const name = blobNameOf(PREFIX, victim.sha256, victim.relPath);
    expect(await container().getBlockBlobClient(name).exists()).toBe(true);

    const mirrored = await cliJson(['archive', '--mirror']);
    expect(mirrored).toMatchObject({ outcome: 'success', removed: 1 });
    expect(await container().getBlockBlobClient(name).exists()).toBe(false);

    // Many files gone at once (a wiped or wrong folder): nothing is removed without confirmation.
    const many = downloaded().slice(0, 6);
    for (const file of many) rmSync(join(world.folder, ...file.relPath.split('/')));
    expect((await world.cli(['sync', '--confirm-deletions', String(many.length)])).exitCode).toBe(0);
    const stopped = await world.cli(['archive', '--mirror', '--json']);
    expect(stopped.exitCode).toBe(6);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ outcome: 'mass-deletion', removed: 0, errorCode: 'MASS_DELETION' });
    expect(stopped.stderr).toContain(`--confirm-deletions ${many.length}`);
    const confirmed = await cliJson(['archive', '--mirror', '--confirm-deletions', String(many.length)]);
    expect(confirmed).toMatchObject({ outcome: 'success', removed: many.length });
  });
});
