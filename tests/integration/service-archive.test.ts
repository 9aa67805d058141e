/**
 * The archive as the stage after each sync of the service (the app and the daemon): its own
 * outcome in the snapshot, and an Azure that refuses never makes the photo sync fail.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blobNameOf } from '../../src-main/archive/blob-names.js';
import { listBlobs, startAzurite, type Azurite } from '../support/azurite.js';
import { trackedFiles } from './cli-harness.js';
import { openServiceWorld, signedInAndSynced, type ServiceWorld } from './service-harness.js';

let azurite: Azurite;
let world: ServiceWorld | undefined;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(async () => azurite?.stop());

function archiveEnv(container: string, key?: string): NodeJS.ProcessEnv {
  return {
    ICLOUD_PHOTO_SYNC_ARCHIVE_ENABLED: 'true',
    ICLOUD_PHOTO_SYNC_ARCHIVE_CREDENTIAL: 'connection-string',
    ICLOUD_PHOTO_SYNC_ARCHIVE_CONTAINER: container,
    ICLOUD_PHOTO_SYNC_ARCHIVE_CONNECTION_STRING: azurite.connectionString(azurite.origin, key),
  };
}

describe('the archive stage of the sync service', { timeout: 120_000 }, () => {
  it('archives what the sync brought, with its own outcome in the snapshot', async () => {
    const container = azurite.service.getContainerClient('service-archive');
    await container.create();
    world = await openServiceWorld({ assets: 6 }, () => ({ env: archiveEnv('service-archive') }));
    expect(world.service.snapshot().archive).toMatchObject({ enabled: true, running: false, lastRun: null });
    await signedInAndSynced(world);
    const files = trackedFiles(world.trackerPath).filter((f) => f.state === 'downloaded');
    const snapshot = await world.until((s) => s.archive.lastRun !== null);
    expect(snapshot.archive).toMatchObject({ running: false, progress: null, lastRun: { outcome: 'success', uploaded: files.length, failed: 0, errorCode: null } });
    expect((await listBlobs(container)).map((b) => b.name).sort()).toEqual(files.map((f) => blobNameOf('icloud-photos', f.sha256, f.relPath)).sort());
  });

  it('Azure refusing the credentials leaves the sync a success: the archive says what to fix', async () => {
    const wrongKey = Buffer.from('a key this account never had').toString('base64');
    world = await openServiceWorld({ assets: 4 }, () => ({ env: archiveEnv('service-archive', wrongKey) }));
    await signedInAndSynced(world);
    const snapshot = await world.until((s) => s.archive.lastRun !== null);
    expect(snapshot).toMatchObject({ state: 'up-to-date', errorCode: null, lastRun: { outcome: 'success' } });
    expect(snapshot.archive.lastRun).toMatchObject({ outcome: 'failed', uploaded: 0, errorCode: 'ARCHIVE_AUTH_FAILED' });
    expect(snapshot.archive.lastRun?.message).toContain('did not accept the archive\'s credentials');
  });
});
