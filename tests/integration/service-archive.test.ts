/**
 * The archive as the stage after each sync of the service (the app and the daemon): its own
 * outcome in the snapshot, and an Azure that refuses never makes the photo sync fail.
 */
import { createServer } from 'node:net';
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

function archiveEnv(container: string, key?: string, origin = azurite.origin): NodeJS.ProcessEnv {
  return {
    ICLOUD_PHOTO_SYNC_ARCHIVE_ENABLED: 'true',
    ICLOUD_PHOTO_SYNC_ARCHIVE_CREDENTIAL: 'connection-string',
    ICLOUD_PHOTO_SYNC_ARCHIVE_CONTAINER: container,
    ICLOUD_PHOTO_SYNC_ARCHIVE_CONNECTION_STRING: azurite.connectionString(origin, key),
  };
}

/** http://127.0.0.1:<a port nothing listens on>: a network where Azure never answers. */
async function closedPortOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
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

  // The stage retries a refused connection for 1+2+4+8+16 s before it stops.
  it('Azure unreachable leaves the sync a success: the archive says it could not reach Azure', { timeout: 180_000 }, async () => {
    const nowhere = await closedPortOrigin();
    world = await openServiceWorld({ assets: 4 }, () => ({ env: archiveEnv('service-archive', undefined, nowhere) }));
    // The run ends after its archive stage: while it retries, the photos are already synced.
    await signedInAndSynced(world, 120_000);
    const snapshot = await world.until((s) => s.archive.lastRun !== null);
    expect(snapshot).toMatchObject({ state: 'up-to-date', errorCode: null, lastRun: { outcome: 'success' } });
    expect(snapshot.archive).toMatchObject({ running: false, lastRun: { outcome: 'failed', uploaded: 0, errorCode: 'ARCHIVE_UNREACHABLE' } });
    expect(snapshot.archive.lastRun?.message).toContain('Cannot reach Azure Storage. Check the internet connection');
  });
});
