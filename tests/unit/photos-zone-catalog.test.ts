import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src-main/icloud/logger.js';
import type { CloudKitDatabase, CloudKitTransport } from '../../src-main/icloud/photos/cloudkit-transport.js';
import { ZoneCatalog } from '../../src-main/icloud/photos/zone-catalog.js';

/**
 * Zone answers the simulator does not produce (a participant's shared database, deleted and
 * AppLibrarySync zones, an indexing library), replayed from fixtures shaped like spec 4.3/4.4.
 */
function replay(answers: Record<string, unknown>): CloudKitTransport & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    post(database: CloudKitDatabase, path: string) {
      calls.push(`${database}/${path}`);
      const answer = answers[`${database}/${path}`];
      return answer === undefined ? Promise.reject(new Error(`no fixture for ${database}/${path}`)) : Promise.resolve(answer);
    },
  };
}

const zone = (zoneName: string, deleted = false) => ({ zoneID: { zoneName, ownerRecordName: '_owner', zoneType: 'REGULAR_CUSTOM_ZONE' }, syncToken: 'tok', deleted });
const indexing = (state: string, progress?: number) => ({
  records: [
    {
      recordName: '_ac333066',
      recordType: 'CheckIndexingState',
      fields: { state: { value: state, type: 'STRING' }, ...(progress === undefined ? {} : { progress: { value: progress, type: 'INT64' } }) },
    },
  ],
});

describe('ZoneCatalog', () => {
  it('keeps PrimarySync and SharedSync-*, skips deleted and AppLibrarySync zones, finds a joined library in the shared database', async () => {
    const transport = replay({
      'private/zones/list': {
        zones: [zone('PrimarySync'), zone('AppLibrarySync-com.apple.GenerativePlayground-1234'), zone('SharedSync-OLD', true), zone('SharedSync')],
      },
      'shared/zones/list': { zones: [zone('SharedSync-5E1F0C2A')] },
    });
    const catalog = new ZoneCatalog(transport, silentLogger);
    expect((await catalog.zones(false)).map((z) => [z.zoneId.zoneName, z.database, z.library])).toEqual([['PrimarySync', 'private', 'personal']]);
    expect(transport.calls).toEqual(['private/zones/list']);
    expect((await catalog.zones(true)).map((z) => [z.zoneId.zoneName, z.database, z.library])).toEqual([
      ['PrimarySync', 'private', 'personal'],
      ['SharedSync-5E1F0C2A', 'shared', 'shared'],
    ]);
    expect(transport.calls).toEqual(['private/zones/list', 'shared/zones/list']); // discovered once
  });

  it('says iCloud Photos is not set up when there is no PrimarySync zone', async () => {
    const catalog = new ZoneCatalog(replay({ 'private/zones/list': { zones: [] } }), silentLogger);
    await expect(catalog.zones(false)).rejects.toMatchObject({ code: 'ICLOUD_NOT_READY' });
  });

  it('turns RUNNING indexing into ICLOUD_NOT_READY with the progress, and checks a ready zone once', async () => {
    const running = new ZoneCatalog(
      replay({ 'private/zones/list': { zones: [zone('PrimarySync')] }, 'private/records/query': indexing('RUNNING', 42) }),
      silentLogger,
    );
    const [primary] = await running.zones(false);
    await expect(running.ensureIndexed(primary!)).rejects.toMatchObject({ code: 'ICLOUD_NOT_READY', detail: expect.stringContaining('42%') });

    const transport = replay({ 'private/zones/list': { zones: [zone('PrimarySync')] }, 'private/records/query': indexing('FINISHED', 100) });
    const ready = new ZoneCatalog(transport, silentLogger);
    const [readyZone] = await ready.zones(false);
    await ready.ensureIndexed(readyZone!);
    await ready.ensureIndexed(readyZone!);
    expect(transport.calls.filter((c) => c.endsWith('records/query'))).toHaveLength(1);
  });

  it('reports an unreadable zones answer as PROTOCOL_CHANGED', async () => {
    const catalog = new ZoneCatalog(replay({ 'private/zones/list': { zones: [{ zoneID: {} }] } }), silentLogger);
    await expect(catalog.zones(false)).rejects.toMatchObject({ code: 'PROTOCOL_CHANGED' });
  });
});
