import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CK_PARAMS, listingQuery, startPhotosHarness, type Json, type PhotosHarness } from './sim-photos-harness.js';

let h: PhotosHarness;
beforeAll(async () => {
  h = await startPhotosHarness();
});
afterAll(() => h.close());

const PRIMARY = { zoneName: 'PrimarySync' };
const countQuery = (ids: string[]) => ({
  resultsLimit: 1,
  zoneWide: true,
  zoneID: PRIMARY,
  query: { recordType: 'HyperionIndexCountLookup', filterBy: { fieldName: 'indexCountID', comparator: 'IN', fieldValue: { type: 'STRING_LIST', value: ids } } },
});
const smartQuery = (recordType: string, smartAlbum?: string) => ({
  query: {
    recordType,
    filterBy: [
      { fieldName: 'startRank', comparator: 'EQUALS', fieldValue: { type: 'INT64', value: 0 } },
      { fieldName: 'direction', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: 'ASCENDING' } },
      ...(smartAlbum ? [{ fieldName: 'smartAlbum', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: smartAlbum } }] : []),
    ],
  },
  resultsLimit: 200,
  zoneID: PRIMARY,
});
const ofType = (records: Json[], type: string) => records.filter((r: Json) => r.recordType === type);

describe('sim CloudKit Photos routes', () => {
  it('lists PrimarySync and the SharedSync zone in the private database, none in the shared one', async () => {
    const { status, json } = await h.ck('private/zones/list', {});
    expect(status).toBe(200);
    expect(json.zones.map((z: Json) => z.zoneID.zoneName)).toEqual(['PrimarySync', h.library.sharedZoneName]);
    expect(json.zones[0].zoneID).toEqual({ zoneName: 'PrimarySync', ownerRecordName: h.library.ownerRecordName, zoneType: 'REGULAR_CUSTOM_ZONE' });
    expect(h.library.sharedZoneName).toMatch(/^SharedSync-[0-9A-F-]{36}$/);
    expect((await h.ck('shared/zones/list', {})).json.zones).toEqual([]);
    const db = await h.ck('private/changes/database', {});
    expect(db.json.zones).toHaveLength(2);
    expect((await h.ck('private/changes/database', { syncToken: db.json.syncToken })).json.zones).toEqual([]);
  });

  it('answers the indexing state, RUNNING while the condition is on', async () => {
    const body = { query: { recordType: 'CheckIndexingState' }, zoneID: PRIMARY };
    expect((await h.ck('private/records/query', body)).json.records[0].fields.state).toEqual({ value: 'FINISHED', type: 'STRING' });
    h.conditions.indexing = true;
    const running = (await h.ck('private/records/query', body)).json.records[0];
    h.conditions.indexing = false;
    expect(running.recordType).toBe('CheckIndexingState');
    expect(running.fields.state.value).toBe('RUNNING');
    expect(running.fields.progress.value).toBeLessThan(100);
  });

  it('counts assets through the batch endpoint and through plain records/query', async () => {
    const ids = ['CPLAssetByAssetDateWithoutHiddenOrDeleted', 'CPLAssetHiddenByAssetDate', 'CPLAssetDeletedByExpungedDate'];
    const batch = await h.ck('private/internal/records/query/batch', { batch: [countQuery(ids)] });
    const records = batch.json.batch[0].records;
    expect(records.map((r: Json) => r.recordName)).toEqual(ids);
    expect(records[0].recordType).toBe('IndexCountResult');
    expect(records.map((r: Json) => r.fields.itemCount.value)).toEqual([
      h.library.count('PrimarySync', 'all'),
      h.library.count('PrimarySync', 'hidden'),
      h.library.count('PrimarySync', 'deleted'),
    ]);
    const plain = await h.ck('private/records/query', countQuery([ids[0] ?? '']));
    expect(plain.json.records[0].fields.itemCount.value).toBe(h.library.count('PrimarySync', 'all'));
  });

  it('pages the main index newest first, masters then assets in the same order, with marker and sync token', async () => {
    const total = h.library.count('PrimarySync', 'all') ?? 0;
    const token = h.library.zoneSyncToken('PrimarySync');
    const seen: string[] = [];
    let rank = 0;
    for (let page = 0; page < 20; page++) {
      const { json } = await h.ck('private/records/query', listingQuery(rank, 400));
      expect(json.syncToken).toBe(token);
      const masters = ofType(json.records, 'CPLMaster');
      const assets = ofType(json.records, 'CPLAsset');
      expect(json.records.length).toBeLessThanOrEqual(200);
      // Masters first (an item sent as errors has its master's error there), then the assets.
      const firstAsset = json.records.findIndex((r: Json) => r.recordType === 'CPLAsset');
      const head = firstAsset < 0 ? json.records : json.records.slice(0, firstAsset);
      expect(head.every((r: Json) => r.recordType === 'CPLMaster' || r.serverErrorCode)).toBe(true);
      // The generated record problems: a master left off its page, items sent as error records.
      const items = h.library.list('PrimarySync', 'all', rank, 100);
      const errored = (a: (typeof items)[number]) => a.accessDenied || a.listingFault?.kind === 'error';
      const withMaster = items.filter((a) => !errored(a) && a.listingFault?.kind !== 'omit-master');
      expect(masters.map((m: Json) => m.recordName)).toEqual(withMaster.map((a) => a.masterId));
      expect(assets.map((a: Json) => a.recordName)).toEqual(items.filter((a) => !errored(a)).map((a) => a.id));
      expect(json.records.filter((r: Json) => r.serverErrorCode)).toHaveLength(2 * items.filter(errored).length);
      if (items.length === 0) break;
      seen.push(...items.map((a) => a.id));
      rank += items.length;
      expect(json.continuationMarker !== undefined).toBe(rank < total);
    }
    expect(seen).toEqual(h.library.list('PrimarySync', 'all', 0, total).map((a) => a.id));
  });

  it('shapes records as Apple does: typed fields, ENCRYPTED_BYTES names, ASSETID resources', async () => {
    const { json } = await h.ck('private/records/query', listingQuery(0, 40));
    const master = ofType(json.records, 'CPLMaster')[0];
    const asset = h.library.getAsset(master.recordName);
    expect(master.zoneID.zoneName).toBe('PrimarySync');
    expect(master.fields.resOriginalFingerprint).toEqual({ value: master.recordName, type: 'STRING' });
    const original = master.fields.resOriginalRes;
    expect(original.type).toBe('ASSETID');
    expect(Object.keys(original.value).sort()).toEqual(['downloadURL', 'fileChecksum', 'referenceChecksum', 'size', 'wrappingKey']);
    expect(original.value.fileChecksum).toBe(master.recordName);
    expect(original.value.size).toBe(asset?.resources[0]?.size);
    expect(original.value.downloadURL).toMatch(/\/B\/[A-Za-z0-9_-]{56}\/\$\{f\}\?.*&e=\d+&.*ckc=com\.apple\.photos\.cloud&ckz=PrimarySync&.*s=/);
    if (master.fields.filenameEnc.type === 'ENCRYPTED_BYTES') {
      expect(Buffer.from(master.fields.filenameEnc.value, 'base64').toString('utf8')).toBe(asset?.filename);
    }
    const cplAsset = ofType(json.records, 'CPLAsset')[0];
    expect(cplAsset.recordName).toMatch(/^[0-9A-F-]{36}$/);
    for (const name of ['assetDate', 'addedDate']) expect(cplAsset.fields[name].type).toBe('TIMESTAMP');
    expect(cplAsset.fields.timeZoneOffset.type).toBe('INT64');
    expect(cplAsset.fields.masterRef.value.action).toBe('DELETE_SELF');
  });

  it('sometimes sends filenameEnc as a plain STRING, and omits it for nameless masters', async () => {
    const all: Json[] = [];
    for (let rank = 0; ; rank += 100) {
      const page = (await h.ck('private/records/query', listingQuery(rank, 200))).json.records;
      if (!page.length) break;
      all.push(...ofType(page, 'CPLMaster'));
    }
    // One master per listed item, except items whose master is left off or that come as errors.
    const listed = h.library.list('PrimarySync', 'all', 0, 100_000);
    expect(all.length).toBe(listed.filter((a) => !a.listingFault && !a.accessDenied).length);
    expect(all.some((m) => m.fields.filenameEnc?.type === 'STRING')).toBe(true);
    expect(all.some((m) => m.fields.filenameEnc === undefined)).toBe(true);
  });

  it('cuts fields to desiredKeys', async () => {
    const { json } = await h.ck('private/records/query', listingQuery(0, 10, 'PrimarySync', { desiredKeys: ['resOriginalRes', 'masterRef'] }));
    for (const record of json.records) {
      expect(Object.keys(record.fields).every((k) => k === 'resOriginalRes' || k === 'masterRef')).toBe(true);
    }
  });

  it('serves the smart folders: Hidden, Recently Deleted, Favorites, Videos, Live', async () => {
    const hidden = ofType((await h.ck('private/records/query', smartQuery('CPLAssetAndMasterHiddenByAssetDate'))).json.records, 'CPLAsset');
    expect(hidden.length).toBe(h.library.count('PrimarySync', 'hidden'));
    expect(hidden.every((a: Json) => a.fields.isHidden.value === 1)).toBe(true);
    const deleted = (await h.ck('private/records/query', smartQuery('CPLAssetAndMasterDeletedByExpungedDate'))).json.records;
    expect(deleted.length).toBe(2 * (h.library.count('PrimarySync', 'deleted') ?? 0));
    expect(deleted.every((r: Json) => r.fields.isDeleted.value === 1)).toBe(true);
    for (const [smart, check] of [
      ['FAVORITE', (a: Json) => a.fields.isFavorite.value === 1],
      ['VIDEO', (a: Json) => h.library.getAsset(a.recordName)?.kind === 'mov'],
      ['LIVE', (a: Json) => h.library.getAsset(a.recordName)?.isLive === true],
    ] as const) {
      const records = (await h.ck('private/records/query', smartQuery('CPLAssetAndMasterInSmartAlbumByAssetDate', smart))).json.records;
      const assets = ofType(records, 'CPLAsset');
      expect(assets.length).toBeGreaterThan(0);
      expect(assets.every(check)).toBe(true);
    }
    const bad = await h.ck('private/records/query', smartQuery('CPLAssetAndMasterInSmartAlbumByAssetDate', 'NOPE'));
    expect([bad.status, bad.json.serverErrorCode]).toEqual([400, 'BAD_REQUEST']);
  });

  it('lists albums with root folders, and album contents as relation + master + asset', async () => {
    const albums = (await h.ck('private/records/query', { query: { recordType: 'CPLAlbumByPositionLive' }, zoneID: PRIMARY })).json.records;
    const names = albums.map((a: Json) => Buffer.from(a.fields.albumNameEnc.value, 'base64').toString('utf8'));
    expect(names).toContain('----Root-Folder----');
    expect(names).toContain('Family');
    const trips = albums.find((a: Json) => a.fields.albumType.value === 3 && !a.recordName.startsWith('--'));
    const children = (await h.ck('private/records/query', {
      query: { recordType: 'CPLAlbumByPositionLive', filterBy: [{ fieldName: 'parentId', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: trips.recordName } }] },
      zoneID: PRIMARY,
    })).json.records;
    expect(children.length).toBe(2);
    const family = albums[names.indexOf('Family')];
    const query = smartQuery('CPLContainerRelationLiveByAssetDate');
    query.query.filterBy.push({ fieldName: 'parentId', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: family.recordName } } as never);
    query.resultsLimit = 30;
    const { json } = await h.ck('private/records/query', query);
    expect(ofType(json.records, 'CPLContainerRelation')).toHaveLength(10);
    expect(ofType(json.records, 'CPLMaster')).toHaveLength(10);
    expect(ofType(json.records, 'CPLAsset')).toHaveLength(10);
    expect(ofType(json.records, 'CPLContainerRelation')[0].recordName).toMatch(new RegExp(`-IN-${family.recordName}$`));
    const count = await h.ck('private/records/query', countQuery([`CPLContainerRelationNotDeletedByAssetDate:${family.recordName}`]));
    expect(count.json.records[0].fields.itemCount.value).toBe(h.library.count('PrimarySync', `album:${family.recordName}`));
  });

  it('looks records up by name, and answers NOT_FOUND per record', async () => {
    const asset = h.library.list('PrimarySync', 'all', 5, 1)[0];
    const { json } = await h.ck('private/records/lookup', { records: [{ recordName: asset?.masterId }, { recordName: asset?.id }, { recordName: 'nope' }], zoneID: PRIMARY });
    expect(json.records.map((r: Json) => r.recordType ?? r.serverErrorCode)).toEqual(['CPLMaster', 'CPLAsset', 'NOT_FOUND']);
  });

  it('queries the Shared Library zone in the private database; a bare SharedSync is ZONE_NOT_FOUND', async () => {
    const { json } = await h.ck('private/records/query', listingQuery(0, 200, h.library.sharedZoneName));
    // One shared item is revoked by default: its records come as ACCESS_DENIED errors.
    const revoked = json.records.filter((r: Json) => r.serverErrorCode === 'ACCESS_DENIED').length / 2;
    expect(ofType(json.records, 'CPLAsset').length + revoked).toBe(h.library.count(h.library.sharedZoneName, 'all'));
    expect(json.records[0].zoneID.zoneName).toBe(h.library.sharedZoneName);
    const bare = await h.ck('private/records/query', listingQuery(0, 200, 'SharedSync'));
    expect([bare.status, bare.json.serverErrorCode]).toEqual([404, 'ZONE_NOT_FOUND']);
    const viaShared = await h.ck('shared/records/query', listingQuery(0, 200, h.library.sharedZoneName));
    expect(viaShared.json.serverErrorCode).toBe('ZONE_NOT_FOUND');
  });
});

describe('sim CloudKit change feed over HTTP', () => {
  it('follows changes/zone from the full history to caught up, then sees a purge and an edit', async () => {
    const body = (syncToken?: string) => ({ zones: [{ zoneID: PRIMARY, resultsLimit: 200, ...(syncToken === undefined ? {} : { syncToken }) }] });
    let token: string | undefined;
    const records: Json[] = [];
    let emptyPagesMoreComing = 0;
    for (let page = 0; page < 1000; page++) {
      const zone = (await h.ck('private/changes/zone', body(token))).json.zones[0];
      records.push(...zone.records);
      if (zone.records.length === 0 && zone.moreComing) emptyPagesMoreComing += 1;
      expect(zone.syncToken).not.toBe(token);
      token = zone.syncToken;
      if (!zone.moreComing) break;
    }
    const assets = [...h.library.assets('PrimarySync')];
    const ofType = (type: string) => records.filter((r) => r.recordType === type).length;
    // Every asset and master once (a few as record-level errors: the generated record problems).
    const named = (names: Set<string>) => records.filter((r) => names.has(r.recordName)).length;
    expect(named(new Set(assets.map((a) => a.id)))).toBe(assets.length);
    expect(named(new Set(assets.map((a) => a.masterId)))).toBe(new Set(assets.map((a) => a.masterId)).size);
    expect(ofType('CPLAlbum')).toBe(h.library.albums('PrimarySync').length);
    // Apple's proportions (kei): about six records per photo, about a third of them tombstones,
    // other record types interleaved, and pages with nothing but moreComing.
    expect(records.length / assets.length).toBeGreaterThan(5);
    expect(records.length / assets.length).toBeLessThan(7);
    const tombstones = records.filter((r) => r.recordType === null && r.deleted === true).length;
    expect(tombstones / records.length).toBeGreaterThan(0.28);
    expect(tombstones / records.length).toBeLessThan(0.4);
    expect(new Set(records.map((r) => r.recordType))).toEqual(new Set(['CPLAsset', 'CPLMaster', 'CPLAlbum', 'CPLFaceCrop', 'CPLPerson', 'CPLMemory', 'CPLSuggestion', null, undefined]));
    expect(emptyPagesMoreComing).toBeGreaterThan(0);
    expect(new Set(records.map((r) => r.recordName)).size).toBe(records.length);
    expect((await h.ck('private/changes/zone', body(''))).json.zones[0].records).toEqual([]);
    const [victim, edited] = h.library.list('PrimarySync', 'all', 0, 10).filter((a) => a.kind !== 'png');
    if (!victim || !edited) throw new Error('setup');
    h.library.purgeAsset(victim);
    h.library.editAsset(edited);
    const zone = (await h.ck('private/changes/zone', body(token))).json.zones[0];
    expect(zone.moreComing).toBe(false);
    expect(zone.records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordName: victim.id, recordType: null, deleted: true, recordChangeTag: expect.any(String) }),
        expect.objectContaining({ recordName: victim.masterId, recordType: null, deleted: true, recordChangeTag: expect.any(String) }),
      ]),
    );
    const asset = zone.records.find((r: Json) => r.recordType === 'CPLAsset');
    expect(asset.recordName).toBe(edited.id);
    expect(asset.fields.adjustmentType.value).toMatch(/^com\.apple\./);
  });

  it('answers a bad token with HTTP 200 and BAD_REQUEST for that zone', async () => {
    const { status, json } = await h.ck('private/changes/zone', { zones: [{ zoneID: PRIMARY, syncToken: 'AQAAAAAAAAAAbogus' }] });
    expect(status).toBe(200);
    expect(json.zones[0].serverErrorCode).toBe('BAD_REQUEST');
  });
});

describe('sim CloudKit refusals', () => {
  it('records every mutating call as a violation and refuses it', async () => {
    const before = h.violations.length;
    for (const path of ['private/records/modify', 'private/zones/modify', 'private/subscriptions/modify', 'private/assets/upload', 'private/zones/delete']) {
      const { status } = await h.ck(path, { operations: [] });
      expect(status).toBe(403);
    }
    expect(h.violations.length - before).toBe(5);
  });

  it('requires the CloudKit query parameters and the session dsid', async () => {
    for (const name of ['clientBuildNumber', 'clientMasteringNumber', 'clientId', 'dsid', 'remapEnums']) {
      const params = CK_PARAMS.split('&').filter((p) => !p.startsWith(`${name}=`)).join('&');
      const { status, json } = await h.ck('private/zones/list', {}, { params });
      expect([status, json.serverErrorCode]).toEqual([400, 'BAD_REQUEST']);
    }
    const wrongDsid = await h.ck('private/zones/list', {}, { params: CK_PARAMS.replace(/dsid=\d+/, 'dsid=999') });
    expect(wrongDsid.status).toBe(401);
  });

  it('answers ACCESS_DENIED when web access is off, and under ADP without PCS cookies', async () => {
    h.conditions.webAccessDisabled = true;
    const off = await h.ck('private/zones/list', {});
    h.conditions.webAccessDisabled = false;
    expect([off.status, off.json.serverErrorCode, off.json.reason]).toEqual([403, 'ACCESS_DENIED', 'private db access disabled for this account']);
    h.conditions.adp = true;
    const noPcs = await h.ck('private/zones/list', {});
    const withPcs = await h.ck('private/zones/list', {}, { cookies: 'X-APPLE-WEBAUTH-PCS-Photos="x"; X-APPLE-WEBAUTH-PCS-Sharing="y"' });
    h.conditions.adp = false;
    expect(noPcs.json.serverErrorCode).toBe('ACCESS_DENIED');
    expect(withPcs.status).toBe(200);
  });

  it('answers unknown paths, bad bodies and bad cursors with JSON errors', async () => {
    expect((await h.ck('private/records/frobnicate', {})).status).toBe(404);
    const bad = await h.ck('private/records/query', { query: {} });
    expect([bad.status, bad.json.serverErrorCode]).toEqual([400, 'BAD_REQUEST']);
    const marker = await h.ck('private/records/query', listingQuery(0, 10, 'PrimarySync', { continuationMarker: 'garbage' }));
    expect(marker.status).toBe(400);
    const response = await fetch(`${h.base}/elsewhere`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ serverErrorCode: 'NOT_FOUND' });
  });
});
