import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, runCliProcess, trackedFiles } from './cli-harness.js';
import { openServiceWorld, signedInAndSynced, type ServiceWorld } from './service-harness.js';

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const onDisk = (w: ServiceWorld, relPath: string) => join(w.folder, ...relPath.split('/'));

describe('sync service commands', () => {
  it('settings and secrets saved by the service are what the CLI reads; a bad value is refused with key, value and allowed; a flag makes a key read-only', async () => {
    world = await openServiceWorld({}, () => ({ flags: { interval: '1h' } }));
    const w = world;
    await signedInAndSynced(w);
    await w.ok({ type: 'save-settings', values: { concurrency: 3, hidden: true } });

    const bad = await w.send({ type: 'save-settings', values: { concurrency: 40, media: 'photos' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', setting: { key: 'concurrency', value: 40 } } });
    expect(!bad.ok && bad.error.setting?.allowed).toContain('from 1 to 16');
    const overridden = await w.send({ type: 'save-settings', values: { interval: '2h' } });
    expect(!overridden.ok && overridden.error.message).toContain('--interval');

    const { settings, configFile } = await w.ok({ type: 'get-settings' });
    expect(configFile).toBe(join(w.dataDir, 'config.json'));
    expect(settings.find((s) => s.key === 'interval')).toMatchObject({ value: '1h', source: 'flag', readOnly: true, setBy: 'the command-line flag --interval' });
    expect(settings.find((s) => s.key === 'concurrency')).toMatchObject({ value: 3, source: 'config file', readOnly: false });
    expect(settings.find((s) => s.key === 'media')).toMatchObject({ value: 'all', source: 'default' });

    // The CLI, with nothing but the data folder, sees the account, the folder and the service's runs.
    const status = await runCliProcess(['status', '--json'], cliEnv(null, w.dataDir));
    expect(status.exitCode, status.stderr).toBe(0);
    const shown = JSON.parse(status.stdout) as { appleId: string; syncFolder: string; runs: Array<{ outcome: string }> };
    expect(shown).toMatchObject({ appleId: w.sim.account.appleId, syncFolder: w.folder });
    expect(shown.runs[0]?.outcome).toBe('success');
    expect(JSON.parse(readFileSync(join(w.dataDir, 'config.json'), 'utf8'))).toEqual({
      appleId: w.sim.account.appleId, syncFolder: w.folder, concurrency: 3, hidden: true,
    });

    // Secrets live in one store for every host: one saved through the service is the CLI's too.
    w.service.secrets.set('ntfy-token', 'tk_service_saved_1234');
    const secrets = await runCliProcess(['secret', 'list', '--json'], cliEnv(null, w.dataDir));
    expect(JSON.parse(secrets.stdout)).toEqual([{ name: 'ntfy-token', source: 'secrets file', envName: 'ICLOUD_PHOTO_SYNC_NTFY_TOKEN' }]);
    expect(readFileSync(join(w.dataDir, 'config.json'), 'utf8')).not.toContain('tk_service_saved_1234');
  }, 60_000);

  it('lists a file deleted locally and restores it: the next run brings the same bytes back', async () => {
    world = await openServiceWorld();
    const w = world;
    await signedInAndSynced(w);
    const victim = trackedFiles(w.trackerPath).find((f) => f.state === 'downloaded' && f.version === 'original')!;
    const bytes = readFileSync(onDisk(w, victim.relPath));
    rmSync(onDisk(w, victim.relPath));

    const noticed = w.nextRunFinished();
    expect(await w.ok({ type: 'sync-now' })).toEqual({ started: true, reason: null });
    expect(await noticed).toMatchObject({ outcome: 'success', deletedNoticed: 1, downloaded: 0 });
    expect(w.service.snapshot().counts.deletedLocally).toBe(1);
    const { files } = await w.ok({ type: 'list-deleted' });
    expect(files.map((f) => f.relPath)).toEqual([victim.relPath]);

    const unknown = await w.send({ type: 'restore-deleted', targets: ['no/such/file.jpg'] });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect((await w.ok({ type: 'restore-deleted', targets: [victim.relPath] })).restored.map((f) => f.relPath)).toEqual([victim.relPath]);
    const back = w.nextRunFinished();
    await w.ok({ type: 'sync-now' });
    expect(await back).toMatchObject({ outcome: 'success', downloaded: 1 });
    expect(readFileSync(onDisk(w, victim.relPath)).equals(bytes)).toBe(true);
    expect((await w.ok({ type: 'list-deleted' })).files).toEqual([]);
  }, 60_000);

  it('a mass deletion stops the run; confirming needs the exact count, then the files are marked deleted, not downloaded again', async () => {
    world = await openServiceWorld({ assets: 30 });
    const w = world;
    await signedInAndSynced(w);
    const originals = trackedFiles(w.trackerPath).filter((f) => f.state === 'downloaded' && f.version === 'original');
    const gone = originals.slice(0, 12);
    for (const file of gone) rmSync(onDisk(w, file.relPath));

    const stopped = w.nextRunFinished();
    await w.ok({ type: 'sync-now' });
    expect(await stopped).toMatchObject({ outcome: 'mass-deletion', errorCode: 'MASS_DELETION' });
    const snapshot = await w.until((s) => s.state === 'error');
    expect(snapshot).toMatchObject({ errorCode: 'MASS_DELETION', action: 'confirm-deletions', vanished: 12 });
    expect(snapshot.message).toContain('12 files');
    expect(snapshot.message).toContain('"Confirm deletions"');
    expect(snapshot.counts.deletedLocally).toBe(0);

    const miscounted = await w.send({ type: 'confirm-deletions', count: 11 });
    expect(miscounted).toMatchObject({ ok: false, error: { code: 'MASS_DELETION' } });
    expect(!miscounted.ok && miscounted.error.message).toContain('found 12 files gone, not 11');

    const confirmed = w.nextRunFinished();
    expect(await w.ok({ type: 'confirm-deletions', count: 12 })).toEqual({ started: true, reason: null });
    expect(await confirmed).toMatchObject({ outcome: 'success', deletedNoticed: 12, downloaded: 0 });
    const after = await w.until((s) => s.state === 'up-to-date');
    expect(after.counts.deletedLocally).toBe(12);
    for (const file of gone) expect(existsSync(onDisk(w, file.relPath))).toBe(false);
  }, 60_000);

  it('previews the next run with free space, says "already running" to sync now during a run, stores a pause, signs out', async () => {
    world = await openServiceWorld({ assets: 10 });
    const w = world;
    await signedInAndSynced(w);
    const added = w.sim.library.addAsset({ filename: 'NEW_ONE.JPG' });
    const preview = await w.ok({ type: 'preview' });
    expect(preview).toMatchObject({ outcome: 'success', download: 1, errorCode: null });
    expect(preview.downloadBytes).toBe(added.resources.find((r) => r.field === 'resOriginal')!.size);
    expect(preview.freeBytes).toBeGreaterThan(0);
    // A preview changes nothing: the new photo is not on disk and no run was recorded.
    expect(trackedFiles(w.trackerPath).some((f) => f.relPath.endsWith('NEW_ONE.JPG'))).toBe(false);
    expect(w.service.snapshot().recentRuns).toHaveLength(1);

    const finished = w.nextRunFinished();
    expect(await w.ok({ type: 'sync-now' })).toEqual({ started: true, reason: null });
    expect(await w.ok({ type: 'sync-now' })).toEqual({ started: false, reason: 'already-running' });
    await finished;

    const until = new Date(Date.now() + 3600_000).toISOString();
    expect(await w.ok({ type: 'pause', until })).toEqual({ until });
    expect(w.service.snapshot()).toMatchObject({ state: 'paused', pause: { until }, nextRunAt: null });
    expect(JSON.parse(readFileSync(join(w.dataDir, 'pause.json'), 'utf8'))).toEqual({ until });
    await w.ok({ type: 'resume' });
    expect(w.service.snapshot().pause).toBeNull();

    await w.ok({ type: 'sign-out' });
    expect(w.service.snapshot()).toMatchObject({ state: 'not-set-up', action: 'sign-in', nextRunAt: null });
    expect(await w.ok({ type: 'sync-now' })).toEqual({ started: false, reason: 'needs-sign-in' });
    expect(existsSync(w.service.currentClient!.sessionFiles.session)).toBe(false);
  }, 60_000);

  it('answers a malformed command with a plain error instead of acting on it', async () => {
    world = await openServiceWorld({ assets: 2 });
    const reply = await world.bridge.send({ type: 'confirm-deletions', count: -3 } as never);
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(!reply.ok && reply.error.message).toContain('count');
  });

  it('a config file made invalid by hand is reported with the key, and fixed by saving from the app', async () => {
    world = await openServiceWorld({ assets: 2 });
    const w = world;
    writeFileSync(join(w.dataDir, 'config.json'), JSON.stringify({ concurrency: 40, hidden: true }));
    const broken = await w.send({ type: 'get-settings' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', setting: { key: 'concurrency', value: 40 } } });
    expect(w.service.snapshot()).toMatchObject({ state: 'error', errorCode: 'CONFIG_INVALID', action: 'open-settings' });

    expect(await w.ok({ type: 'save-settings', values: { concurrency: 4 } })).toMatchObject({ saved: ['concurrency'] });
    const { settings } = await w.ok({ type: 'get-settings' });
    expect(settings.find((s) => s.key === 'concurrency')?.value).toBe(4);
    expect(settings.find((s) => s.key === 'hidden')?.value).toBe(true);
    expect(w.service.snapshot().state).toBe('not-set-up');
  });
});
