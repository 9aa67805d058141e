import { RestError } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { blobNameOf, blockIdOf, contentTypeOf } from '../../src-main/archive/blob-names.js';
import { ArchiveError, toArchiveError, withRetries } from '../../src-main/archive/azure-errors.js';
import { loadSettings } from '../../src-main/config/load-settings.js';
import { SecretsStore } from '../../src-main/config/secrets-store.js';

const SHA = 'ab'.repeat(32);

/** An error as the SDK throws it: status, Azure's code, and the response headers. */
function azureError(statusCode: number, code: string, headers: Record<string, string> = {}, message = 'refused'): RestError {
  const error = new RestError(message, { statusCode, code });
  Object.assign(error, { response: { headers: { get: (name: string) => headers[name.toLowerCase()] } } });
  return error;
}

describe('archive names', () => {
  it('names blobs by content, keeping the path readable', () => {
    expect(blobNameOf('icloud-photos', SHA, '2024/05/01/IMG_0001.HEIC')).toBe(`icloud-photos/ab/${SHA}/2024/05/01/IMG_0001.HEIC`);
  });

  it('gives every block of a file an id of one length, the same for the same content and index', () => {
    const ids = [0, 9, 10, 49_999].map((i) => Buffer.from(blockIdOf(SHA, i), 'base64').toString());
    expect(new Set(ids.map((id) => id.length)).size).toBe(1);
    expect(blockIdOf(SHA, 3)).toBe(blockIdOf(SHA, 3));
    expect(blockIdOf(SHA, 3)).not.toBe(blockIdOf('cd'.repeat(32), 3));
  });

  it('takes the content type from the extension, whatever its case', () => {
    expect(contentTypeOf('a/IMG.JPG')).toBe('image/jpeg');
    expect(contentTypeOf('a/IMG.heic')).toBe('image/heic');
    expect(contentTypeOf('a/VID.MOV')).toBe('video/quicktime');
    expect(contentTypeOf('a/notes.xyz')).toBe('application/octet-stream');
  });
});

describe('archive errors', () => {
  it('tells wrong credentials from a missing role, a missing container and a full account', () => {
    expect((toArchiveError(azureError(403, 'AuthenticationFailed')) as ArchiveError).code).toBe('ARCHIVE_AUTH_FAILED');
    expect((toArchiveError(azureError(403, 'AuthorizationPermissionMismatch')) as ArchiveError).code).toBe('ARCHIVE_FORBIDDEN');
    expect((toArchiveError(azureError(404, 'ContainerNotFound')) as ArchiveError).code).toBe('ARCHIVE_CONTAINER_MISSING');
    expect((toArchiveError(azureError(409, 'AccountCapacityExceeded')) as ArchiveError).code).toBe('ARCHIVE_QUOTA_FULL');
    // A missing blob is the caller's business (a fresh upload), not a catalogue error.
    const missingBlob = azureError(404, 'BlobNotFound');
    expect(toArchiveError(missingBlob)).toBe(missingBlob);
  });

  it('reads Retry-After in seconds or as a date, and stops with it after the last try', async () => {
    const waits: number[] = [];
    let tries = 0;
    const failure = await withRetries(
      async () => {
        tries++;
        throw azureError(503, 'ServerBusy', { 'retry-after': '0' });
      },
      { maxTries: 3, onWait: (seconds) => waits.push(seconds) },
    ).catch((error: unknown) => error);
    expect(tries).toBe(3);
    expect(waits).toEqual([0, 0]);
    expect(failure).toMatchObject({ code: 'ARCHIVE_THROTTLED', retryAfterSeconds: 0 });
    const dated = toArchiveError(azureError(503, 'ServerBusy', { 'retry-after': new Date(Date.now() - 1000).toUTCString() }));
    expect(dated).toMatchObject({ code: 'ARCHIVE_THROTTLED', retryAfterSeconds: 0 });
  });

  it('does not retry what waiting cannot fix', async () => {
    let tries = 0;
    await expect(
      withRetries(
        async () => {
          tries++;
          throw azureError(403, 'AuthorizationPermissionMismatch');
        },
        { maxTries: 5 },
      ),
    ).rejects.toMatchObject({ code: 'ARCHIVE_FORBIDDEN' });
    expect(tries).toBe(1);
  });
});

describe('archive settings and secrets', () => {
  it('are off by default, Cool, and refuse the Archive tier with the reason', () => {
    const defaults = loadSettings({ env: {}, defaultConfigPath: '/nonexistent/config.json' }).settings;
    expect(defaults).toMatchObject({ archiveEnabled: false, archiveTier: 'Cool', archiveCredential: 'identity', archiveMirror: false, archiveConcurrency: 4 });
    expect(() => loadSettings({ env: { ICLOUD_PHOTO_SYNC_ARCHIVE_TIER: 'Archive' }, defaultConfigPath: '/nonexistent/config.json' })).toThrow(/rehydrated.*15 hours/);
    expect(() => loadSettings({ env: { ICLOUD_PHOTO_SYNC_ARCHIVE_CONTAINER: 'Bad_Name' }, defaultConfigPath: '/nonexistent/config.json' })).toThrow(/archiveContainer/);
  });

  it('checks a pasted SAS URL or connection string before keeping it', () => {
    const store = new SecretsStore('/nonexistent', { ICLOUD_PHOTO_SYNC_ARCHIVE_SAS_URL: 'https://a.blob.core.windows.net/c?sv=1&sig=x' });
    expect(store.get('archive-sas-url')).toBe('https://a.blob.core.windows.net/c?sv=1&sig=x');
    expect(() => store.set('archive-sas-url', 'https://a.blob.core.windows.net/c')).toThrow(/SAS URL/);
    expect(() => store.set('archive-connection-string', 'just some text')).toThrow(/connection string/);
  });
});
