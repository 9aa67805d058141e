/**
 * The real `archive` command over a real tracker and real files, into Azurite through a recording
 * proxy: its `--csv` output (a file name with a comma and quotes included).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobNameOf } from '../../src-main/archive/blob-names.js';
import { openArchiveLibrary, type ArchiveLibrary } from '../support/archive-library.js';
import { startAzureProxy, startAzurite, type Azurite, type AzureProxy } from '../support/azurite.js';
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

const container = () => azurite.service.getContainerClient(CONTAINER);

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
describe('archive --csv', { timeout: 180_000 }, () => {
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
});
