/**
 * The real `archive` command over a real tracker and real files, into Azurite through a recording
 * proxy: its `--csv` output (a file name with a comma and quotes included), and files the user
 * changed after they were archived: new bytes are hashed again and go up as a new blob beside the
 * old one (never destructive); a file only touched (same bytes, new mtime) is hashed again once and
 * sends nothing.
 */
import { randomBytes } from 'node:crypto';
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobNameOf } from '../../src-main/archive/blob-names.js';
import { Tracker } from '../../src-main/tracker/tracker.js';
import { openArchiveLibrary, sha256Of, type ArchiveLibrary } from '../support/archive-library.js';
import { listBlobs, startAzureProxy, startAzurite, type Azurite, type AzureProxy } from '../support/azurite.js';
import { csvRecords } from '../support/csv.js';
import { runCliProcess } from './cli-harness.js';

const CONTAINER = 'changes';
const PREFIX = 'icloud-photos';
/** Commas, quotes and a space: what a CSV writer must quote. */
const AWKWARD = '2024/05/03/Beach, "sunset" 2.JPG';
const SUMMARY_COLUMNS = [
  'outcome', 'toUpload', 'toUploadBytes', 'alreadyArchived', 'missing', 'rehashed', 'uploaded', 'bytes',
  'blocksReused', 'toRemove', 'removed', 'failed', 'errorCode', 'retryAfterSeconds', 'runId',
];

let azurite: Azurite;
let proxy: AzureProxy;
let library: ArchiveLibrary;

async function archive(args: string[], expectedExit = 0) {
  const result = await runCliProcess(['archive', ...args], library.env);
  expect(result.exitCode, result.stderr).toBe(expectedExit);
  return result;
}

async function archiveJson() {
  return JSON.parse((await archive(['--json'])).stdout) as Record<string, unknown>;
}

const container = () => azurite.service.getContainerClient(CONTAINER);
const archivedRows = () => {
  const tracker = Tracker.openReadOnly(library.trackerPath);
  try {
    return tracker.archive.archivedFiles();
  } finally {
    tracker.close();
  }
};

beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await startAzureProxy(azurite.origin);
  await container().create();
  library = openArchiveLibrary(CONTAINER, 'archive-changes@example.com');
  library.env.ICLOUD_PHOTO_SYNC_ARCHIVE_CONNECTION_STRING = azurite.connectionString(proxy.origin);
  library.add('2024/05/01/IMG_0001.JPG', randomBytes(150_000));
  library.add('2024/05/02/IMG_0002.HEIC', randomBytes(120_000));
  library.add(AWKWARD, randomBytes(90_000));
});

afterAll(async () => {
  await proxy?.close();
  await azurite?.stop();
  library?.close();
});

// Each test runs the real CLI several times: a minute or more on a loaded machine.
describe('archive --csv, and files changed after they were archived', { timeout: 180_000 }, () => {
  it('--dry-run --csv is one summary row; with --verbose one row per planned file, quoted where needed', async () => {
    const [summary, ...more] = csvRecords((await archive(['--dry-run', '--csv'])).stdout);
    expect(more).toEqual([]);
    expect(Object.keys(summary ?? {})).toEqual(SUMMARY_COLUMNS);
    expect(summary).toMatchObject({ outcome: 'success (dry run: nothing sent)', toUpload: '3', toUploadBytes: '360000', uploaded: '0', errorCode: '', runId: '' });

    const listed = (await archive(['--dry-run', '--csv', '--verbose'])).stdout;
    expect(listed).toContain('"2024/05/03/Beach, ""sunset"" 2.JPG"');
    const planned = csvRecords(listed);
    expect(planned.map((row) => Object.keys(row))).toEqual(planned.map(() => ['relPath', 'blobName', 'size']));
    expect(planned.map((row) => row.relPath).sort()).toEqual(library.files.map((f) => f.relPath).sort());
    for (const file of library.files) {
      expect(planned.find((row) => row.relPath === file.relPath)).toEqual({ relPath: file.relPath, blobName: blobNameOf(PREFIX, file.sha256, file.relPath), size: String(file.bytes.length) });
    }
    expect(proxy.requests).toEqual([]);
  });

  it('archive --csv: the run\'s summary as one CSV row, and the awkward name archived as it is', async () => {
    const [summary, ...more] = csvRecords((await archive(['--csv'])).stdout);
    expect(more).toEqual([]);
    expect(Object.keys(summary ?? {})).toEqual(SUMMARY_COLUMNS);
    expect(summary).toMatchObject({ outcome: 'success', uploaded: '3', bytes: '360000', failed: '0', errorCode: '' });
    expect(summary?.runId).toMatch(/^\d+$/);
    const awkward = library.files[2]!;
    const blob = container().getBlockBlobClient(blobNameOf(PREFIX, awkward.sha256, AWKWARD));
    expect((await blob.downloadToBuffer()).equals(awkward.bytes)).toBe(true);
  });

  it('a file changed after it was archived goes up again as a new blob; the old one stays; it is hashed once', async () => {
    const changed = library.files[0]!;
    const newBytes = randomBytes(170_000);
    writeFileSync(library.pathOf(changed.relPath), newBytes);
    const newSha = sha256Of(newBytes);

    const before = proxy.requests.length;
    expect(await archiveJson()).toMatchObject({ outcome: 'success', rehashed: 1, uploaded: 1, bytes: newBytes.length, alreadyArchived: 2 });
    expect(proxy.requests.slice(before).map((r) => r.method)).toEqual(['PUT']);

    const oldBlob = container().getBlockBlobClient(blobNameOf(PREFIX, changed.sha256, changed.relPath));
    const newBlob = container().getBlockBlobClient(blobNameOf(PREFIX, newSha, changed.relPath));
    expect((await oldBlob.downloadToBuffer()).equals(changed.bytes)).toBe(true);
    expect((await newBlob.downloadToBuffer()).equals(newBytes)).toBe(true);
    expect((await newBlob.getProperties()).metadata).toMatchObject({ sha256: newSha, icloudassetid: changed.assetId });
    expect((await listBlobs(container())).length).toBe(4);

    // The tracker holds both versions; the new one with what the file is now.
    const rows = archivedRows().filter((row) => row.relPath === changed.relPath);
    expect(rows.map((row) => row.sha256).sort()).toEqual([changed.sha256, newSha].sort());
    const info = statSync(library.pathOf(changed.relPath));
    expect(rows.find((row) => row.sha256 === newSha)).toMatchObject({ size: newBytes.length, mtimeMs: Math.round(info.mtimeMs) });

    // Known now: the next run neither hashes it again nor sends anything.
    const quiet = proxy.requests.length;
    expect(await archiveJson()).toMatchObject({ outcome: 'success', rehashed: 0, uploaded: 0, alreadyArchived: 3 });
    expect(proxy.requests.length).toBe(quiet);
  });

  it('a file only touched (same bytes, new mtime) is hashed again once and nothing is sent', async () => {
    const touched = library.files[1]!;
    const later = new Date(Date.now() + 60_000);
    utimesSync(library.pathOf(touched.relPath), later, later);

    const before = proxy.requests.length;
    expect(await archiveJson()).toMatchObject({ outcome: 'success', rehashed: 1, uploaded: 0, alreadyArchived: 3 });
    expect(proxy.requests.length).toBe(before);
    expect((await listBlobs(container())).length).toBe(4);

    // The tracker learnt the new mtime for that blob: the next run trusts it again.
    const row = archivedRows().find((r) => r.relPath === touched.relPath);
    expect(row).toMatchObject({ sha256: touched.sha256, mtimeMs: later.getTime() });
    expect(await archiveJson()).toMatchObject({ outcome: 'success', rehashed: 0, uploaded: 0 });
    expect(proxy.requests.length).toBe(before);
  });
});
