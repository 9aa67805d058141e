import { describe, expect, it } from 'vitest';
import { mapAssetPair } from '../../src-main/icloud/photos/asset-mapper.js';
import type { ICloudAsset } from '../../src-main/icloud/photos/asset.js';
import type { CloudKitRecord } from '../../src-main/icloud/photos/responses/record-schema.js';
import { asset, encName, jpegMaster, master, PRIMARY, resource } from './photos-fixtures.js';

function mapOk(m: CloudKitRecord, a: CloudKitRecord): ICloudAsset {
  const result = mapAssetPair(m, a, PRIMARY);
  if (!result.ok) throw new Error(`mapping failed: ${result.reason}`);
  return result.asset;
}

function names(mapped: ICloudAsset): Record<string, string> {
  return Object.fromEntries(mapped.resources.map((r) => [r.version, r.filename]));
}

describe('mapping a CPLMaster + CPLAsset pair (spec 4.13)', () => {
  const heicMaster = master('AbCdEfGhIjKlMnOpQrStUvWxYz01', {
    filenameEnc: { value: 'SU1HXzAwNDIuSEVJQw==', type: 'ENCRYPTED_BYTES' },
    itemType: { value: 'public.heic', type: 'STRING' },
    resOriginalRes: resource('AbCdEfGhIjKlMnOpQrStUvWxYz01', 2345678),
    resOriginalFileType: { value: 'public.heic', type: 'STRING' },
    resOriginalVidComplRes: resource('ARvIdEoChEcKsUmExAmPlE0000001', 3294075),
    resOriginalVidComplFileType: { value: 'com.apple.quicktime-movie', type: 'STRING' },
  });
  const heicAsset = asset('1C4E9A7B-2D3F-4A5B-8C6D-7E8F9A0B1C2D', 'AbCdEfGhIjKlMnOpQrStUvWxYz01', {
    isFavorite: { value: 1, type: 'INT64' },
  });

  it('takes identity from the master, names, dates and flags from the pair', () => {
    const mapped = mapOk(heicMaster, heicAsset);
    expect(mapped).toMatchObject({
      id: 'AbCdEfGhIjKlMnOpQrStUvWxYz01',
      masterRecordName: 'AbCdEfGhIjKlMnOpQrStUvWxYz01',
      assetRecordName: '1C4E9A7B-2D3F-4A5B-8C6D-7E8F9A0B1C2D',
      zoneName: 'PrimarySync',
      library: 'personal',
      filename: 'IMG_0042.HEIC',
      mediaType: 'photo',
      assetDate: 1700000000000,
      addedDate: 1700000100000,
      timeZoneOffsetSeconds: 3600,
      isFavorite: true,
      isHidden: false,
      changeTag: 'a1',
      adjustmentType: null,
    });
    const original = mapped.resources.find((r) => r.version === 'original');
    expect(original).toMatchObject({ size: 2345678, uti: 'public.heic', fileChecksum: 'AbCdEfGhIjKlMnOpQrStUvWxYz01' });
    expect(original?.downloadUrl).toContain('/B/AbCdEfGhIjKlMnOpQrStUvWxYz01/');
  });

  it('names the Live Photo video of a HEIC photo IMG_0042_HEVC.MOV', () => {
    expect(names(mapOk(heicMaster, heicAsset))).toEqual({ original: 'IMG_0042.HEIC', 'live-video': 'IMG_0042_HEVC.MOV' });
  });

  it('names the Live Photo video of a JPEG photo IMG_0001.MOV', () => {
    const m = jpegMaster('M1', 'IMG_0001.JPG', {
      resOriginalVidComplRes: resource('V1', 10),
      resOriginalVidComplFileType: { value: 'com.apple.quicktime-movie', type: 'STRING' },
    });
    expect(names(mapOk(m, asset('A1', 'M1')))['live-video']).toBe('IMG_0001.MOV');
  });
});

describe('file names', () => {
  it('NFC-normalises a name Apple stored as NFD', () => {
    const nfd = 'Jo\u0308rg.JPG';
    const mapped = mapOk(jpegMaster('M1', nfd), asset('A1', 'M1'));
    expect(mapped.filename).toBe('J\u00f6rg.JPG');
    expect(mapped.filename).not.toBe(nfd);
  });

  it('reads a plain STRING filenameEnc as is', () => {
    const m = jpegMaster('M1', 'x', { filenameEnc: { value: 'Holiday 2024.JPG', type: 'STRING' } });
    expect(mapOk(m, asset('A1', 'M1')).filename).toBe('Holiday 2024.JPG');
  });

  it('decodes an untyped base64 name and keeps an untyped plain name', () => {
    const typeless = jpegMaster('M1', 'x', { filenameEnc: { value: Buffer.from('IMG_0007.JPG').toString('base64') } });
    expect(mapOk(typeless, asset('A1', 'M1')).filename).toBe('IMG_0007.JPG');
    const plain = jpegMaster('M2', 'x', { filenameEnc: { value: 'IMG_0008.JPG' } });
    expect(mapOk(plain, asset('A2', 'M2')).filename).toBe('IMG_0008.JPG');
  });

  it('falls back to 12 letters/digits of the master id plus the item type extension', () => {
    const m = master('Ab+Cd/Ef0123456789XYZ', {
      itemType: { value: 'public.heic', type: 'STRING' },
      resOriginalRes: resource('Ab+Cd/Ef0123456789XYZ', 5),
    });
    const mapped = mapOk(m, asset('A1', 'Ab+Cd/Ef0123456789XYZ'));
    expect(mapped.filename).toBe('AbCdEf012345.HEIC');
    expect(mapped.resources[0]).toMatchObject({ filename: 'AbCdEf012345.HEIC', uti: 'public.heic' });
  });

  it('names the other half of a RAW+JPEG pair after the photo with its own extension', () => {
    const m = jpegMaster('M1', 'IMG_0001.JPG', {
      resOriginalAltRes: resource('R1', 25_000_000),
      resOriginalAltFileType: { value: 'com.canon.cr2-raw-image', type: 'STRING' },
    });
    expect(names(mapOk(m, asset('A1', 'M1')))).toEqual({ original: 'IMG_0001.JPG', alternative: 'IMG_0001.CR2' });
  });

  it('gives an edited photo IMG_0001-edited.JPG, and only while adjustmentType is set', () => {
    const m = jpegMaster('M1', 'IMG_0001.HEIC', { itemType: { value: 'public.heic', type: 'STRING' }, resOriginalFileType: { value: 'public.heic', type: 'STRING' } });
    const edit = { resJPEGFullRes: resource('E1', 900), resJPEGFullFileType: { value: 'public.jpeg', type: 'STRING' } };
    const edited = mapOk(m, asset('A1', 'M1', { ...edit, adjustmentType: { value: 'com.apple.photo', type: 'STRING' } }));
    expect(names(edited)).toEqual({ original: 'IMG_0001.HEIC', edited: 'IMG_0001-edited.JPG' });
    expect(edited.adjustmentType).toBe('com.apple.photo');
    expect(names(mapOk(m, asset('A1', 'M1', edit)))).toEqual({ original: 'IMG_0001.HEIC' });
  });

  it('treats a movie as a video: no live part, edited from resVidFull', () => {
    const m = master('M1', {
      filenameEnc: encName('IMG_0100.MOV'),
      itemType: { value: 'com.apple.quicktime-movie', type: 'STRING' },
      resOriginalRes: resource('M1', 50),
      resOriginalFileType: { value: 'com.apple.quicktime-movie', type: 'STRING' },
      resOriginalVidComplRes: resource('X', 5),
    });
    const a = asset('A1', 'M1', {
      adjustmentType: { value: 'com.apple.video.slomo', type: 'STRING' },
      resVidFullRes: resource('E', 40),
      resVidFullFileType: { value: 'com.apple.quicktime-movie', type: 'STRING' },
    });
    const mapped = mapOk(m, a);
    expect(mapped.mediaType).toBe('video');
    expect(names(mapped)).toEqual({ original: 'IMG_0100.MOV', edited: 'IMG_0100-edited.MOV' });
  });
});

describe('odd records', () => {
  it('refuses a master without an original resource', () => {
    const m = master('M1', { filenameEnc: encName('a.JPG') });
    expect(mapAssetPair(m, asset('A1', 'M1'), PRIMARY)).toEqual({ ok: false, reason: 'no original resource' });
  });

  it('turns a wrongly shaped field into PROTOCOL_CHANGED', () => {
    const m = jpegMaster('M1', 'a.JPG', { resOriginalRes: { value: { size: 'big', downloadURL: 'x' }, type: 'ASSETID' } });
    expect(() => mapAssetPair(m, asset('A1', 'M1'), PRIMARY)).toThrow(expect.objectContaining({ code: 'PROTOCOL_CHANGED' }));
  });

  it('turns a read field that is not a { value } object into PROTOCOL_CHANGED, and ignores odd fields it never reads', () => {
    const odd = jpegMaster('M1', 'a.JPG', { someFutureField: 'plain' as never });
    expect(mapOk(odd, asset('A1', 'M1')).id).toBe('M1');
    const broken = jpegMaster('M1', 'a.JPG', { itemType: 'public.jpeg' as never });
    expect(() => mapAssetPair(broken, asset('A1', 'M1'), PRIMARY)).toThrow(expect.objectContaining({ code: 'PROTOCOL_CHANGED' }));
  });

  it('reads missing flags and time zone as false and null', () => {
    const a = asset('A1', 'M1', { isFavorite: undefined, isHidden: undefined, timeZoneOffset: undefined });
    delete a.fields?.isFavorite;
    delete a.fields?.isHidden;
    delete a.fields?.timeZoneOffset;
    expect(mapOk(jpegMaster('M1', 'a.JPG'), a)).toMatchObject({ isFavorite: false, isHidden: false, timeZoneOffsetSeconds: null });
  });
});

describe('the preview fields: thumbnail and duration', () => {
  const movMaster = (extra: Record<string, unknown>) =>
    master('MOV1', {
      filenameEnc: encName('CLIP.MOV'),
      itemType: { value: 'com.apple.quicktime-movie', type: 'STRING' },
      resOriginalRes: resource('MOV1', 1_000_000),
      resOriginalFileType: { value: 'com.apple.quicktime-movie', type: 'STRING' },
      ...extra,
    });

  it("reads the master's resJPEGThumbRes and a video's duration", () => {
    const mapped = mapOk(movMaster({ resJPEGThumbRes: resource('THUMB1', 5120), resJPEGThumbFileType: { value: 'public.jpeg', type: 'STRING' } }), asset('A1', 'MOV1', { duration: { value: 17, type: 'INT64' } }));
    expect(mapped.thumbnail).toEqual({ downloadUrl: expect.stringContaining('/B/THUMB1/'), size: 5120, uti: 'public.jpeg' });
    expect(mapped.durationSeconds).toBe(17);
    // The thumbnail is a preview, never a file to download into the folder.
    expect(mapped.resources.map((r) => r.version)).toEqual(['original']);
  });

  it('leaves them out when absent or of an unexpected shape, without failing the asset', () => {
    const bare = mapOk(movMaster({}), asset('A1', 'MOV1'));
    expect(bare.thumbnail).toBeUndefined();
    expect(bare.durationSeconds).toBeUndefined();
    const odd = mapOk(movMaster({ resJPEGThumbRes: { value: 'not an asset id', type: 'ASSETID' } }), asset('A1', 'MOV1', { duration: { value: 'long', type: 'STRING' } }));
    expect(odd.thumbnail).toBeUndefined();
    expect(odd.durationSeconds).toBeUndefined();
  });

  it('gives photos no duration', () => {
    expect(mapOk(jpegMaster('M1', 'a.JPG'), asset('A1', 'M1', { duration: { value: 3, type: 'INT64' } })).durationSeconds).toBeUndefined();
  });
});
