/**
 * The archive command when things go wrong, against a real Azurite (with a proxy in front that can
 * answer in Azure's place): wrong credentials, a read-only SAS (Azurite has no role-based access
 * control: its 403 stands for a missing role), a missing container, a full account, throttling,
 * and a process killed in the middle of a large file, which resumes with the blocks Azurite holds.
 * The library is a real tracker and real files, as a sync leaves them.
 */
import { randomBytes } from 'node:crypto';
import { ContainerSASPermissions, StorageSharedKeyCredential, generateBlobSASQueryParameters } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobNameOf } from '../../src-main/archive/blob-names.js';
import { BLOCK_SIZE } from '../../src-main/archive/blob-uploader.js';
import { openArchiveLibrary, type ArchiveLibrary } from '../support/archive-library.js';
import { DEV_ACCOUNT, DEV_KEY, listBlobs, startAzureProxy, startAzurite, type Azurite, type AzureProxy } from '../support/azurite.js';
import { runCliProcess, spawnCliProcess } from './cli-harness.js';

const CONTAINER = 'archive';
const PREFIX = 'icloud-photos';

let azurite: Azurite;
let proxy: AzureProxy;
let library: ArchiveLibrary;
let env: NodeJS.ProcessEnv;
let files: ArchiveLibrary['files'];

function archive(extra: NodeJS.ProcessEnv = {}, args: string[] = []) {
  return runCliProcess(['archive', '--json', ...args], { ...env, ...extra });
}

function withKey(key: string): NodeJS.ProcessEnv {
  return { ICLOUD_PHOTO_SYNC_ARCHIVE_CONNECTION_STRING: azurite.connectionString(proxy.origin, key) };
}

beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await startAzureProxy(azurite.origin);
  await azurite.service.getContainerClient(CONTAINER).create();
  library = openArchiveLibrary(CONTAINER, 'archive-tests@example.com');
  env = library.env;
  files = library.files;
  library.add('2024/05/01/IMG_0001.JPG', randomBytes(200_000));
  library.add('2024/05/02/IMG_0002.HEIC', randomBytes(300_000));
  // Four and a half blocks: uploaded as staged blocks.
  library.add('2024/05/03/IMG_0003.MOV', randomBytes(4 * BLOCK_SIZE + BLOCK_SIZE / 2));
});

afterAll(async () => {
  await proxy?.close();
  await azurite?.stop();
  library?.close();
});

// Each test runs the real CLI once or more: minutes on a loaded machine.
describe('archive failures in plain words, and a resumed upload', { timeout: 180_000 }, () => {
  it('wrong credentials: exit 2, says so, and never prints the key', async () => {
    const wrongKey = Buffer.from('not the key of this account, not at all').toString('base64');
    const result = await archive(withKey(wrongKey));
    expect(result.exitCode, result.stderr).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'failed', uploaded: 0, errorCode: 'ARCHIVE_AUTH_FAILED' });
    expect(result.stderr).toContain('did not accept the archive\'s credentials');
    expect(result.stdout + result.stderr).not.toContain(wrongKey);
  });

  it('a read-only SAS (a missing role): exit 2 and which role to grant; the SAS URL kept in secrets.json', async () => {
    const sas = generateBlobSASQueryParameters(
      { containerName: CONTAINER, permissions: ContainerSASPermissions.parse('rl'), expiresOn: new Date(Date.now() + 3_600_000) },
      new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
    ).toString();
    const sasUrl = `${proxy.origin}/${DEV_ACCOUNT}/${CONTAINER}?${sas}`;
    const saved = await runCliProcess(['secret', 'set', 'archive-sas-url'], env, `${sasUrl}\n`);
    expect(saved.exitCode, saved.stderr).toBe(0);
    const result = await archive({ ICLOUD_PHOTO_SYNC_ARCHIVE_CREDENTIAL: 'sas-url' });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'failed', uploaded: 0, errorCode: 'ARCHIVE_FORBIDDEN' });
    expect(result.stderr).toContain('Storage Blob Data Contributor');
    expect(result.stdout + result.stderr).not.toContain(sas);
  });

  it('a missing container: exit 2 and how to create it', async () => {
    const result = await archive({ ...withKey(DEV_KEY), ICLOUD_PHOTO_SYNC_ARCHIVE_CONTAINER: 'no-such-container' });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ errorCode: 'ARCHIVE_CONTAINER_MISSING' });
    expect(result.stderr).toContain('az storage container create');
  });

  it('a full storage account: exit 10, the run stops at once', async () => {
    proxy.intercept = ({ method }) => (method === 'PUT' ? { status: 409, errorCode: 'AccountCapacityExceeded' } : null);
    try {
      const before = proxy.requests.length;
      const result = await archive(withKey(DEV_KEY));
      expect(result.exitCode, result.stderr).toBe(10);
      expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'failed', uploaded: 0, errorCode: 'ARCHIVE_QUOTA_FULL' });
      // Not retried: one refused PUT per file in flight at the most (concurrency 2).
      expect(proxy.requests.slice(before).filter((r) => r.method === 'PUT').length).toBeLessThanOrEqual(2);
    } finally {
      proxy.intercept = null;
    }
    expect(await listBlobs(azurite.service.getContainerClient(CONTAINER))).toEqual([]);
  });

  it('killed in the middle of a large file, the next run sends only the blocks Azurite does not hold, then commits', async () => {
    const large = files[2]!;
    const before = proxy.requests.length;
    let blockRequests = 0;
    // The third block request is never answered: the process is killed while it waits.
    proxy.intercept = ({ comp }) => (comp === 'block' && ++blockRequests === 3 ? 'hold' : null);
    const child = spawnCliProcess(['archive', '--json'], { ...env, ...withKey(DEV_KEY) });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await proxy.held;
    await proxy.idle();
    child.kill('SIGKILL');
    await exited;
    proxy.intercept = null;

    // A block the killed process had sent in full (blocks go up in parallel) can still reach Azurite
    // just after it died: wait until what Azurite holds stops changing before comparing.
    const blob = azurite.service.getContainerClient(CONTAINER).getBlockBlobClient(blobNameOf(PREFIX, large.sha256, large.relPath));
    const heldNames = async () => ((await blob.getBlockList('uncommitted')).uncommittedBlocks ?? []).map((b) => b.name).sort();
    let held = await heldNames();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await proxy.idle();
      const again = await heldNames();
      if (again.join() === held.join()) break;
      held = again;
    }
    const firstRun = proxy.requests.slice(before).filter((r) => r.comp === 'block' && r.status === 201).map((r) => r.blockId);
    expect(firstRun.length).toBeGreaterThan(0);
    expect(held).toEqual(firstRun.map((id) => decodeURIComponent(id ?? '')).sort());

    const resumedFrom = proxy.requests.length;
    const result = await archive(withKey(DEV_KEY));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'success', blocksReused: firstRun.length });
    const secondRun = proxy.requests.slice(resumedFrom).filter((r) => r.comp === 'block').map((r) => r.blockId);
    expect(secondRun.length).toBe(5 - firstRun.length);
    expect(secondRun.filter((id) => firstRun.includes(id))).toEqual([]);
    expect((await blob.downloadToBuffer()).equals(large.bytes)).toBe(true);
    expect((await blob.getProperties()).contentType).toBe('video/quicktime');
    for (const file of files) {
      const archived = azurite.service.getContainerClient(CONTAINER).getBlockBlobClient(blobNameOf(PREFIX, file.sha256, file.relPath));
      expect((await archived.downloadToBuffer()).equals(file.bytes), file.relPath).toBe(true);
    }
  });

  it('throttling: waits as long as Azure asks (Retry-After), then succeeds', async () => {
    library.add('2024/06/01/IMG_0004.JPG', randomBytes(100_000));
    let refused = 0;
    proxy.intercept = ({ method }) => (method === 'PUT' && refused++ < 2 ? { status: 503, errorCode: 'ServerBusy', headers: { 'retry-after': '1' } } : null);
    try {
      const before = proxy.requests.length;
      const result = await archive(withKey(DEV_KEY));
      expect(result.exitCode, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'success', uploaded: 1 });
      expect(proxy.requests.slice(before).map((r) => r.status)).toEqual([503, 503, 201]);
      expect(result.stderr).toContain('Azure answered 503: waiting 1s before trying again');
    } finally {
      proxy.intercept = null;
    }
  });

  it('throttling that does not end: the run stops with exit 4, and the next run picks up', async () => {
    library.add('2024/06/02/IMG_0005.JPG', randomBytes(100_000));
    proxy.intercept = ({ method }) => (method === 'PUT' ? { status: 503, errorCode: 'ServerBusy', headers: { 'retry-after': '0' } } : null);
    try {
      const result = await archive(withKey(DEV_KEY));
      expect(result.exitCode, result.stderr).toBe(4);
      expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'failed', uploaded: 0, errorCode: 'ARCHIVE_THROTTLED', retryAfterSeconds: 0 });
      expect(result.stderr).toContain('slow down');
    } finally {
      proxy.intercept = null;
    }
    const again = await archive(withKey(DEV_KEY));
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ uploaded: 1, alreadyArchived: files.length - 1 });
  });
});
