/**
 * `status` and `doctor` about the Azure archive (the real CLI, after a real sync from the
 * simulator, against a real Azurite): status tells whether it is on, how the last run went in plain
 * words and what is not archived yet; doctor checks the credential, the container and the account.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { openSignedInCliWorld, trackedFiles, type SignedInCliWorld } from './cli-harness.js';

const CONTAINER = 'status-photos';

let world: SignedInCliWorld;
let azurite: Azurite;

interface DoctorRow {
  check: string;
  status: string;
  detail: string;
  code: string | null;
}

const downloadedCount = () => trackedFiles(world.trackerPath).filter((f) => f.state === 'downloaded').length;

function useArchive(connectionString: string | undefined, container = CONTAINER): void {
  Object.assign(world.env, { ICLOUD_PHOTO_SYNC_ARCHIVE_ENABLED: 'true', ICLOUD_PHOTO_SYNC_ARCHIVE_CREDENTIAL: 'connection-string', ICLOUD_PHOTO_SYNC_ARCHIVE_CONTAINER: container });
  if (connectionString === undefined) delete world.env.ICLOUD_PHOTO_SYNC_ARCHIVE_CONNECTION_STRING;
  else world.env.ICLOUD_PHOTO_SYNC_ARCHIVE_CONNECTION_STRING = connectionString;
}

async function statusJson() {
  const result = await world.cli(['status', '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { archive: Record<string, unknown> }).archive;
}

async function doctorArchiveRows(expectedExit: number): Promise<DoctorRow[]> {
  const result = await world.cli(['doctor', '--json']);
  expect(result.exitCode, result.stdout + result.stderr).toBe(expectedExit);
  return (JSON.parse(result.stdout) as DoctorRow[]).filter((row) => row.check.startsWith('archive'));
}

/** A port on 127.0.0.1 that nothing listens on (taken, then freed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  azurite = await startAzurite();
  await azurite.service.getContainerClient(CONTAINER).create();
  world = await openSignedInCliWorld({ assets: 6, seed: 21 });
  const sync = await world.cli(['sync']);
  expect(sync.exitCode, sync.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await world?.close();
  await azurite?.stop();
});

describe('status and doctor about the Azure archive', { timeout: 180_000 }, () => {
  it('status: off in one line while the archive is off', async () => {
    expect(await statusJson()).toEqual({ enabled: false, container: null, lastRun: null, notYetArchived: null });
    const human = await world.cli(['status']);
    expect(human.stdout).toMatch(/Azure archive:\s+off \(see README, "Off-site archive"\)/);
    expect(human.stdout).not.toContain('Last archive run');
  });

  it('doctor: the credential, the container and the account check out against Azurite', async () => {
    useArchive(azurite.connectionString());
    const rows = await doctorArchiveRows(0);
    expect(rows.map((r) => [r.check, r.status])).toEqual([['archive credential', 'ok'], ['archive container', 'ok'], ['archive account', 'ok']]);
    expect(rows[0]?.detail).toBe('connection-string: the secret archive-connection-string is stored (environment)');
    expect(rows[2]?.detail).toMatch(/^127\.0\.0\.1:\d+ answered; the container status-photos exists$/);
    expect(JSON.stringify(rows)).not.toContain('AccountKey');
  });

  it('status: a failed run says what went wrong in plain words; after a good one nothing is left to archive', async () => {
    const files = downloadedCount();
    expect(await statusJson()).toMatchObject({ enabled: true, container: CONTAINER, lastRun: null, notYetArchived: { files } });

    useArchive(azurite.connectionString(azurite.origin, Buffer.from('a key this account never had').toString('base64')));
    expect((await world.cli(['archive'])).exitCode).not.toBe(0);
    const failed = await statusJson();
    expect(failed).toMatchObject({ lastRun: { outcome: 'failed', uploaded: 0, errorCode: 'ARCHIVE_AUTH_FAILED' }, notYetArchived: { files } });
    const problem = (failed.lastRun as { problem: string }).problem;
    expect(problem).toContain("did not accept the archive's credentials");
    const human = await world.cli(['status']);
    expect(human.stdout).toMatch(/Azure archive:\s+on, container status-photos/);
    expect(human.stdout).toMatch(/Last archive run:\s+\d{4}-\d\d-\d\dT[\d:]+Z, failed, 0 uploaded/);
    expect(human.stdout).toMatch(/Archive problem:\s+.*did not accept the archive's credentials/);
    expect(human.stdout).toMatch(new RegExp(`Not yet archived:\\s+${files} files \\(`));

    useArchive(azurite.connectionString());
    const archived = await world.cli(['archive']);
    expect(archived.exitCode, archived.stderr).toBe(0);
    expect(await statusJson()).toMatchObject({ lastRun: { outcome: 'success', uploaded: files, failed: 0, problem: null, errorCode: null }, notYetArchived: { files: 0, bytes: 0 } });
    expect((await world.cli(['status'])).stdout).toMatch(/Not yet archived:\s+0 files \(0 B\)/);
  });

  it('doctor: a missing secret and a missing container fail with what to do; an unreachable account is a warning', async () => {
    useArchive(undefined);
    const noSecret = await doctorArchiveRows(2);
    expect(noSecret).toEqual([
      expect.objectContaining({ check: 'archive credential', status: 'fail', code: 'ARCHIVE_NOT_SET_UP', detail: expect.stringContaining('secret set archive-connection-string') }),
      expect.objectContaining({ check: 'archive container', status: 'ok' }),
    ]);

    useArchive(azurite.connectionString(), 'never-created');
    const missing = await doctorArchiveRows(2);
    expect(missing[2]).toMatchObject({ check: 'archive account', status: 'fail', code: 'ARCHIVE_CONTAINER_MISSING', detail: expect.stringContaining('never-created does not exist') });

    useArchive(azurite.connectionString(`http://127.0.0.1:${await closedPort()}`));
    const unreachable = await doctorArchiveRows(0);
    expect(unreachable[2]).toMatchObject({ check: 'archive account', status: 'warn', detail: expect.stringMatching(/^not reachable now \(.*\); the archive tries again after the next sync, photo syncing goes on$/) });
  });
});
