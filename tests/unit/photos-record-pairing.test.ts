import { describe, expect, it } from 'vitest';
import { ChangeCollector } from '../../src-main/icloud/photos/change-collector.js';
import { RecordPairer } from '../../src-main/icloud/photos/record-pairer.js';
import { parseResponse } from '../../src-main/icloud/photos/responses/parse-response.js';
import { changesZoneResponseSchema, recordsResponseSchema } from '../../src-main/icloud/photos/responses/response-schemas.js';
import { extensionForUti, isVideoUti } from '../../src-main/icloud/photos/uti-extensions.js';
import { asset, jpegMaster } from './photos-fixtures.js';

const pairNames = (pairs: ReturnType<RecordPairer['add']>) => pairs.map((p) => `${p.asset.recordName}->${p.master.recordName}`);

describe('RecordPairer', () => {
  it('pairs by masterRef, not by position', () => {
    const pairer = new RecordPairer();
    const pairs = pairer.add([jpegMaster('M1', 'a.JPG'), jpegMaster('M2', 'b.JPG'), asset('A2', 'M2'), asset('A1', 'M1')]);
    expect(pairNames(pairs)).toEqual(['A2->M2', 'A1->M1']);
    expect(pairer.pendingCount()).toBe(0);
  });

  it('keeps a pair that straddles a page boundary, in either direction', () => {
    const pairer = new RecordPairer();
    expect(pairNames(pairer.add([jpegMaster('M1', 'a.JPG'), jpegMaster('M2', 'b.JPG'), asset('A1', 'M1')]))).toEqual(['A1->M1']);
    expect(pairer.pendingCount()).toBe(1);
    expect(pairNames(pairer.add([asset('A3', 'M3'), asset('A2', 'M2')]))).toEqual(['A2->M2']);
    expect(pairNames(pairer.add([jpegMaster('M3', 'c.JPG')]))).toEqual(['A3->M3']);
    expect(pairer.pendingCount()).toBe(0);
  });

  it('lets one master back two assets on the same page (an iOS duplicate)', () => {
    const pairer = new RecordPairer();
    expect(pairNames(pairer.add([jpegMaster('M1', 'a.JPG'), asset('A1', 'M1'), asset('A1b', 'M1')]))).toEqual(['A1->M1', 'A1b->M1']);
  });
});

describe('ChangeCollector', () => {
  it('reports purged records, trashed assets and hidden ones when hidden is not synced', () => {
    const collector = new ChangeCollector(false);
    collector.add([
      jpegMaster('M1', 'a.JPG'),
      asset('A1', 'M1'),
      asset('A2', 'M2', { isDeleted: { value: 1 } }),
      asset('A3', 'M3', { isHidden: { value: 1, type: 'INT64' } }),
      { recordName: 'M9', deleted: true },
      { recordName: 'X', recordType: 'CPLAlbum', fields: {} },
    ]);
    const result = collector.result();
    expect(result.pairs.map((p) => p.master.recordName)).toEqual(['M1']);
    expect(result.removedIds.sort()).toEqual(['M2', 'M3', 'M9']);
  });

  it('keeps the last version of a record and asks for masters it did not see', () => {
    const collector = new ChangeCollector(true);
    collector.add([asset('A1', 'M1', { isDeleted: { value: 1 } })]);
    collector.add([asset('A1', 'M1')]); // restored: isDeleted removed
    const result = collector.result();
    expect(result.removedIds).toEqual([]);
    expect(result.assetsWithoutMaster.map((a) => a.recordName)).toEqual(['A1']);
  });
});

describe('response schemas', () => {
  it('accept extra fields and missing types', () => {
    const page = parseResponse(recordsResponseSchema, { records: [{ recordName: 'r', fields: { a: { value: 1 } }, brandNew: true }], extra: 1 }, 'test');
    expect(page.records[0]?.fields?.a?.value).toBe(1);
  });

  it('read a zone-level serverErrorCode in changes/zone', () => {
    const answer = parseResponse(changesZoneResponseSchema, { zones: [{ zoneID: { zoneName: 'PrimarySync' }, serverErrorCode: 'BAD_REQUEST', reason: 'bad token' }] }, 'test');
    expect(answer.zones[0]?.serverErrorCode).toBe('BAD_REQUEST');
  });

  it('refuses a record whose fields are not an object', () => {
    expect(() => parseResponse(recordsResponseSchema, { records: [{ recordName: 'r', fields: ['x'] }] }, 'the listing')).toThrow(
      expect.objectContaining({ code: 'PROTOCOL_CHANGED' }),
    );
  });

  it('turn an unreadable answer into PROTOCOL_CHANGED without echoing values', () => {
    let caught: unknown;
    try {
      parseResponse(recordsResponseSchema, { records: [{ recordName: 42, secret: 'abc' }] }, 'the listing');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'PROTOCOL_CHANGED' });
    expect(String((caught as Error).message)).toContain('records.0.recordName');
    expect(String((caught as Error).message)).not.toContain('abc');
  });
});

describe('UTI extensions', () => {
  it.each([
    ['public.jpeg', 'JPG'],
    ['public.heic', 'HEIC'],
    ['com.apple.quicktime-movie', 'MOV'],
    ['com.adobe.raw-image', 'DNG'],
    ['com.sony.arw-raw-image', 'ARW'],
    ['com.nikon.raw-image', 'NEF'],
    ['org.webmproject.webp', 'WEBP'],
  ])('%s -> %s', (uti, extension) => {
    expect(extensionForUti(uti)).toBe(extension);
  });

  it('knows videos and unknown types', () => {
    expect(isVideoUti('com.apple.quicktime-movie')).toBe(true);
    expect(isVideoUti('public.heic')).toBe(false);
    expect(extensionForUti('com.example.unknown')).toBeUndefined();
  });
});
