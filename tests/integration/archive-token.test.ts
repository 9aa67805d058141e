/**
 * The `identity` credential (DefaultAzureCredential) through the real CLI, against Azurite in its
 * OAuth mode: Azurite over HTTPS (a private CA, trusted by the CLI through NODE_EXTRA_CA_CERTS) with
 * `--oauth basic`, and tokens from a local stand-in for App Service's managed identity endpoint
 * (Entra ID itself is out of reach here). What is proven: the identity path asks the credential chain
 * for a token for Azure Storage, sends it as a bearer token and archives with it; a token Azure
 * refuses is the plain ARCHIVE_AUTH_FAILED. What is not: Entra ID, and Azure's check of a token's
 * signature and role (Azurite checks issuer, audience and lifetime only).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountSASPermissions, AccountSASResourceTypes, AccountSASServices, StorageSharedKeyCredential, generateAccountSASQueryParameters } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobNameOf } from '../../src-main/archive/blob-names.js';
import { openArchiveLibrary, type ArchiveLibrary } from '../support/archive-library.js';
import { DEV_ACCOUNT, DEV_KEY, startAzurite, type Azurite } from '../support/azurite.js';
import { makeTestCertificate } from '../support/tls-cert.js';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer.js';
import { runCliProcess } from './cli-harness.js';

const CONTAINER = 'token';
const PREFIX = 'icloud-photos';

let certDir: string;
let ca: string;
let azurite: Azurite;
let issuer: TokenIssuer;
let library: ArchiveLibrary;

/**
 * The test's own requests to Azurite: HTTPS trusting the private CA, signed with an account SAS
 * (the SDK's clients in this process would not trust the CA; NODE_EXTRA_CA_CERTS is read at start).
 */
function azuriteRequest(method: string, path: string, query: string): Promise<{ status: number; body: Buffer }> {
  const sas = generateAccountSASQueryParameters(
    {
      permissions: AccountSASPermissions.parse('rwdlac'),
      services: AccountSASServices.parse('b').toString(),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      expiresOn: new Date(Date.now() + 3_600_000),
    },
    new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
  ).toString();
  const url = new URL(`${azurite.origin}/${DEV_ACCOUNT}/${path}?${query}${query ? '&' : ''}${sas}`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers: { 'content-length': '0' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function blobNames(): Promise<string[]> {
  const listed = await azuriteRequest('GET', CONTAINER, 'restype=container&comp=list');
  expect(listed.status).toBe(200);
  return [...listed.body.toString('utf8').matchAll(/<Name>([^<]*)<\/Name>/g)].map((m) => m[1] ?? '').sort();
}

function archive() {
  return runCliProcess(['archive', '--json'], library.env);
}

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'archive-token-cert-'));
  const cert = makeTestCertificate(certDir, ['IP:127.0.0.1', 'DNS:localhost']);
  ca = readFileSync(cert.caPath, 'utf8');
  azurite = await startAzurite({ tls: cert, oauth: 'basic' });
  issuer = await startTokenIssuer();
  expect((await azuriteRequest('PUT', CONTAINER, 'restype=container')).status).toBe(201);
  library = openArchiveLibrary(CONTAINER, 'archive-token@example.com');
  Object.assign(library.env, issuer.env, {
    ICLOUD_PHOTO_SYNC_ARCHIVE_CREDENTIAL: 'identity',
    ICLOUD_PHOTO_SYNC_ARCHIVE_ACCOUNT_URL: `${azurite.origin}/${DEV_ACCOUNT}`,
    NODE_EXTRA_CA_CERTS: cert.caPath,
  });
  library.add('2024/05/01/IMG_0001.JPG', randomBytes(100_000));
  library.add('2024/05/02/IMG_0002.HEIC', randomBytes(80_000));
});

afterAll(async () => {
  await issuer?.close();
  await azurite?.stop();
  library?.close();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

describe('archive with a token credential (DefaultAzureCredential) against Azurite in OAuth mode', { timeout: 180_000 }, () => {
  it('a token Azure Storage does not accept (wrong audience): exit 2, the credentials message', async () => {
    issuer.audience = 'https://vault.azure.net';
    try {
      const result = await archive();
      expect(result.exitCode, result.stderr).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'failed', uploaded: 0, errorCode: 'ARCHIVE_AUTH_FAILED' });
      expect(result.stderr).toContain('Azure did not accept the archive\'s credentials');
      // The token (a JWT, "eyJ..." in base64url) never shows.
      expect(result.stdout + result.stderr).not.toContain('eyJ');
    } finally {
      issuer.audience = 'https://storage.azure.com';
    }
    expect(await blobNames()).toEqual([]);
  });

  it('archives every file with a token the identity chain got for Azure Storage', async () => {
    const asked = issuer.requests.length;
    const result = await archive();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'success', uploaded: 2, failed: 0 });
    expect(issuer.requests.slice(asked)).toContain('https://storage.azure.com');
    expect(await blobNames()).toEqual(library.files.map((f) => blobNameOf(PREFIX, f.sha256, f.relPath)).sort());
    for (const file of library.files) {
      const blob = await azuriteRequest('GET', `${CONTAINER}/${blobNameOf(PREFIX, file.sha256, file.relPath)}`, '');
      expect(blob.status).toBe(200);
      expect(blob.body.equals(file.bytes), file.relPath).toBe(true);
    }
  });
});
