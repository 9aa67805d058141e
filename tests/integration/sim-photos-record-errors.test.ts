import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingQuery, startPhotosHarness, type Json, type PhotosHarness } from './sim-photos-harness.js';

let h: PhotosHarness;
beforeAll(async () => {
  h = await startPhotosHarness({ assets: 20, sharedAssets: 0 });
});
afterAll(() => h.close());

describe('records that carry their own error', () => {
  it('a denied asset comes back as two ACCESS_DENIED records inside an ordinary page, in listings, lookups and the feed', async () => {
    const first = (await h.ck('private/records/query', listingQuery(0, 10))).json.records as Json[];
    const target = first.find((r: Json) => r.recordType === 'CPLAsset');
    const asset = h.library.getAsset(target.recordName);
    if (!asset) throw new Error('listed asset not found');
    h.library.denyAsset(asset);

    const page = (await h.ck('private/records/query', listingQuery(0, 10))).json.records as Json[];
    const denied = page.filter((r: Json) => r.serverErrorCode === 'ACCESS_DENIED');
    expect(denied.map((r: Json) => r.recordName).sort()).toEqual([asset.id, asset.masterId].sort());
    expect(denied.every((r: Json) => r.recordType === undefined && r.fields === undefined && typeof r.reason === 'string')).toBe(true);
    // The other items keep their masters (but the generated record problems, which have their own tests).
    const others = h.library.list('PrimarySync', 'all', 0, 5).filter((a) => a.id !== asset.id && !a.listingFault);
    expect(page.filter((r: Json) => r.recordType === 'CPLMaster').map((r: Json) => r.recordName)).toEqual(expect.arrayContaining(others.map((a) => a.masterId)));

    const lookup = (await h.ck('private/records/lookup', { records: [{ recordName: asset.id }], zoneID: { zoneName: 'PrimarySync' } })).json;
    expect(lookup.records[0]).toMatchObject({ recordName: asset.id, serverErrorCode: 'ACCESS_DENIED' });

    const feed = (await h.ck('private/changes/zone', { zones: [{ zoneID: { zoneName: 'PrimarySync' } }] })).json.zones[0].records as Json[];
    expect(feed.filter((r: Json) => r.serverErrorCode === 'ACCESS_DENIED')).toHaveLength(2);

    h.library.denyAsset(asset, false);
    const healed = (await h.ck('private/records/query', listingQuery(0, 10))).json.records as Json[];
    expect(healed.some((r: Json) => r.serverErrorCode === 'ACCESS_DENIED')).toBe(false);
  });

  it("by default an item's master is left off its page, and another item comes as transient errors that a lookup serves", async () => {
    const listed = h.library.list('PrimarySync', 'all', 0, 100);
    const noMaster = listed.find((a) => a.listingFault?.kind === 'omit-master')!;
    const retried = listed.find((a) => a.listingFault?.kind === 'error')!;
    const records: Json[] = [];
    for (let rank = 0; rank < listed.length; rank += 5) records.push(...(await h.ck('private/records/query', listingQuery(rank, 10))).json.records);
    expect(records.some((r: Json) => r.recordName === noMaster.masterId)).toBe(false);
    expect(records.find((r: Json) => r.recordName === noMaster.id)?.recordType).toBe('CPLAsset');
    expect(records.find((r: Json) => r.recordName === retried.id)?.serverErrorCode).toBe('TRY_AGAIN_LATER');
    expect(records.some((r: Json) => r.recordName === retried.masterId && r.serverErrorCode === 'TRY_AGAIN_LATER')).toBe(true);
    const lookup = (await h.ck('private/records/lookup', { records: [{ recordName: retried.id }, { recordName: noMaster.masterId }], zoneID: { zoneName: 'PrimarySync' } })).json;
    expect(lookup.records.map((r: Json) => r.recordType)).toEqual(['CPLAsset', 'CPLMaster']);
  });
});
