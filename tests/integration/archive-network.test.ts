/**
 * The network goes down in the middle of an archive run (the proxy in front of Azurite stops: the
 * held request's connection drops, every retry meets a closed port): the real CLI ends with exit 9
 * and the plain "Cannot reach Azure Storage" message, the tracker records only the blobs Azure
 * committed and a finished, failed run, and the next run (network back) sends only what is missing,
 * resuming the large file with the blocks Azurite already holds.
 */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobNameOf } from '../../src-main/archive/blob-names.js';
import { BLOCK_SIZE } from '../../src-main/archive/blob-uploader.js';
import { openArchiveLibrary, type ArchiveLibrary } from '../support/archive-library.js';
import { listBlobs, startAzureProxy, startAzurite, type Azurite, type AzureProxy } from '../support/azurite.js';
import { runCliProcess } from './cli-harness.js';

const CONTAINER = 'network';
const PREFIX = 'icloud-photos';

let azurite: Azurite;
let library: ArchiveLibrary;
const proxies: AzureProxy[] = [];

async function archiveThrough(proxy: AzureProxy) {
  return runCliProcess(['archive', '--json'], { ...library.env, ICLOUD_PHOTO_SYNC_ARCHIVE_CONNECTION_STRING: azurite.connectionString(proxy.origin) });
}

async function newProxy(): Promise<AzureProxy> {
  const proxy = await startAzureProxy(azurite.origin);
  proxies.push(proxy);
  return proxy;
}

/** The tracker's archive rows, read straight from SQLite (a run still marked running included). */
function trackerRows() {
  const db = new Database(library.trackerPath, { readonly: true });
  try {
    return {
      // ETags as the listing gives them (an upload's answer quotes them, the listing does not).
      archived: (db.prepare('SELECT blob_name AS blobName, etag FROM archived_files ORDER BY blob_name').all() as Array<{ blobName: string; etag: string }>).map((row) => ({ ...row, etag: row.etag.replace(/"/g, '') })),
      runs: db.prepare('SELECT outcome, ended_at AS endedAt, uploaded, error_code AS errorCode FROM archive_runs ORDER BY id').all() as Array<Record<string, unknown>>,
    };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  azurite = await startAzurite();
  await azurite.service.getContainerClient(CONTAINER).create();
  library = openArchiveLibrary(CONTAINER, 'archive-network@example.com');
  // One file at a time, so what the first run got through before the network went is known.
  library.env.ICLOUD_PHOTO_SYNC_ARCHIVE_CONCURRENCY = '1';
  library.add('2024/05/01/IMG_0001.JPG', randomBytes(120_000));
  // Four and a half blocks: staged blocks, the network goes while they are sent.
  library.add('2024/05/02/IMG_0002.MOV', randomBytes(4 * BLOCK_SIZE + BLOCK_SIZE / 2));
  library.add('2024/05/03/IMG_0003.JPG', randomBytes(130_000));
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await azurite?.stop();
  library?.close();
});

// The run that meets the closed port retries for 1+2+4+8+16 s before it stops.
describe('the network goes down during an archive run', { timeout: 240_000 }, () => {
  it('exit 9 in plain words, nothing half-recorded; the next run resumes and completes', async () => {
    const container = azurite.service.getContainerClient(CONTAINER);
    const [small, large, last] = library.files;
    const network = await newProxy();
    let blockRequests = 0;
    // The third block of the large file is never answered: the network goes down while it waits.
    network.intercept = ({ comp }) => (comp === 'block' && ++blockRequests === 3 ? 'hold' : null);
    const running = archiveThrough(network);
    await network.held;
    await network.idle();
    await network.close();

    const failed = await running;
    expect(failed.exitCode, failed.stderr).toBe(9);
    expect(JSON.parse(failed.stdout)).toMatchObject({ outcome: 'failed', uploaded: 1, errorCode: 'ARCHIVE_UNREACHABLE' });
    expect(failed.stderr).toContain('Cannot reach Azure Storage. Check the internet connection and the account URL; the next run continues where this one stopped. (no answer from Azure: ECONNREFUSED) [ARCHIVE_UNREACHABLE]');
    expect(failed.stderr).toContain('network error: waiting 1s before trying again');

    // Recorded: the one blob Azure committed, with its ETag, and the run as finished and failed.
    const committed = await listBlobs(container);
    expect(committed.map((b) => b.name)).toEqual([blobNameOf(PREFIX, small!.sha256, small!.relPath)]);
    const afterFailure = trackerRows();
    expect(afterFailure.archived).toEqual(committed.map((b) => ({ blobName: b.name, etag: b.properties.etag })));
    expect(afterFailure.runs).toEqual([{ outcome: 'failed', endedAt: expect.any(Number) as number, uploaded: 1, errorCode: 'ARCHIVE_UNREACHABLE' }]);
    // The large file's blocks that got through wait uncommitted; nothing of the last file was sent.
    const largeBlob = container.getBlockBlobClient(blobNameOf(PREFIX, large!.sha256, large!.relPath));
    const held = await largeBlob.getBlockList('all');
    expect(held.committedBlocks ?? []).toEqual([]);
    const heldIds = (held.uncommittedBlocks ?? []).map((b) => b.name);
    expect(heldIds.length).toBeGreaterThan(0);

    const back = await newProxy();
    const resumed = await archiveThrough(back);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ outcome: 'success', uploaded: 2, alreadyArchived: 1, blocksReused: heldIds.length });
    const sentBlocks = back.requests.filter((r) => r.comp === 'block').map((r) => decodeURIComponent(r.blockId ?? ''));
    expect(sentBlocks.length).toBe(5 - heldIds.length);
    expect(sentBlocks.filter((id) => heldIds.includes(id))).toEqual([]);
    for (const file of [small!, large!, last!]) {
      const blob = container.getBlockBlobClient(blobNameOf(PREFIX, file.sha256, file.relPath));
      expect((await blob.downloadToBuffer()).equals(file.bytes), file.relPath).toBe(true);
    }
    const final = await listBlobs(container);
    expect(trackerRows().archived).toEqual(final.map((b) => ({ blobName: b.name, etag: b.properties.etag })).sort((a, b) => a.blobName.localeCompare(b.blobName)));
  });
});
