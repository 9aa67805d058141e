import { describe, expect, it } from 'vitest';
import { folderDateParts } from '../../src-main/sync/naming/folder-date.js';
import { PathClaims } from '../../src-main/sync/naming/path-claims.js';
import { renderRelPath, templateProblem } from '../../src-main/sync/naming/path-template.js';
import { resolveInside, PathEscapeError } from '../../src-main/sync/naming/safe-path.js';
import { sanitizeSegment, withSuffix } from '../../src-main/sync/naming/sanitize.js';

const bytes = (s: string) => Buffer.byteLength(s);

describe('sanitizeSegment', () => {
  it.each([
    ['IMG_0001.JPG', 'IMG_0001.JPG'],
    ['a<b>c:d"e/f\\g|h?i*j.jpg', 'a_b_c_d_e_f_g_h_i_j.jpg'],
    ['tab\there\u0000nul\u007f.png', 'tab_here_nul_.png'],
    ['trailing. . ', 'trailing'],
    ['CON', '_CON'],
    ['con.jpg', '_con.jpg'],
    ['Lpt9.tar.gz', '_Lpt9.tar.gz'],
    ['COM1 .heic', '_COM1 .heic'],
    ['CONSOLE.jpg', 'CONSOLE.jpg'],
    ['..', '_'],
    ['', '_'],
    ['...', '_'],
    ['.icloud-photo-sync', '_.icloud-photo-sync'],
    ['.ICLOUD-PHOTO-SYNC-tmp', '_.ICLOUD-PHOTO-SYNC-tmp'],
  ])('%j -> %j', (raw, safe) => {
    expect(sanitizeSegment(raw)).toBe(safe);
  });

  it('normalises to NFC', () => {
    expect(sanitizeSegment('Jo\u0308rg.jpg')).toBe('J\u00f6rg.jpg');
  });

  it('keeps the extension and whole characters when cutting to 255 bytes', () => {
    const long = `${'é'.repeat(200)}😀${'x'.repeat(50)}.HEIC`;
    const safe = sanitizeSegment(long);
    expect(bytes(safe)).toBeLessThanOrEqual(255);
    expect(safe.endsWith('.HEIC')).toBe(true);
    expect(safe).not.toContain('\ufffd');
    expect(Buffer.from(safe).toString()).toBe(safe);
    expect(bytes(withSuffix(safe, '_abcdef0'))).toBeLessThanOrEqual(255);
    expect(withSuffix(safe, '_abcdef0').endsWith('_abcdef0.HEIC')).toBe(true);
  });
});

describe('folder dates', () => {
  const asset = { assetDate: Date.UTC(2023, 11, 31, 23, 30), timeZoneOffsetSeconds: 3600 };
  it("uses the asset's own offset when asked", () => {
    expect(folderDateParts(asset, 'asset')).toEqual({ yyyy: '2024', mm: '01', dd: '01' });
  });
  it("uses the machine's zone like icloudpd by default", () => {
    const local = new Date(asset.assetDate);
    expect(folderDateParts(asset, 'local')).toEqual({
      yyyy: String(local.getFullYear()),
      mm: String(local.getMonth() + 1).padStart(2, '0'),
      dd: String(local.getDate()).padStart(2, '0'),
    });
  });
  it('falls back to the machine zone when the asset has no offset', () => {
    expect(folderDateParts({ ...asset, timeZoneOffsetSeconds: null }, 'asset')).toEqual(folderDateParts(asset, 'local'));
  });
});

describe('templates', () => {
  const asset = { assetDate: Date.UTC(2024, 2, 15, 12), timeZoneOffsetSeconds: 0 };
  it('renders each preset with sanitised segments', () => {
    expect(renderRelPath(asset, 'a.jpg', { template: '{yyyy}/{mm}/{dd}/{name}', dateZone: 'asset' })).toBe('2024/03/15/a.jpg');
    expect(renderRelPath(asset, 'a.jpg', { template: '{name}', dateZone: 'asset' })).toBe('a.jpg');
    expect(renderRelPath(asset, 'a.jpg', { template: '{album}/{name}', dateZone: 'asset', album: '../Trips/2024' })).toBe('.._Trips_2024/a.jpg');
    expect(renderRelPath(asset, 'a.jpg', { template: '{album}/{name}', dateZone: 'asset', album: '' })).toBe('a.jpg');
    expect(renderRelPath(asset, '../../etc/passwd', { template: '{name}', dateZone: 'asset' })).toBe('.._.._etc_passwd');
  });
  it('rejects templates that do not end in {name} or use unknown placeholders', () => {
    expect(templateProblem('{yyyy}/{name}')).toBeNull();
    expect(templateProblem('{name}/{yyyy}')).toMatch(/end with/);
    expect(templateProblem('{year}/{name}')).toMatch(/Unknown placeholder/);
  });
});

describe('resolveInside', () => {
  it('accepts paths inside and refuses anything that climbs out', () => {
    expect(resolveInside('/sync', '2024/a.jpg')).toBe('/sync/2024/a.jpg');
    expect(() => resolveInside('/sync', '../x')).toThrow(PathEscapeError);
    expect(() => resolveInside('/sync', 'a/../../x')).toThrow(PathEscapeError);
    expect(() => resolveInside('/sync', '')).toThrow(PathEscapeError);
    expect(() => resolveInside('/sync', '/etc/passwd')).not.toThrow();
    expect(resolveInside('/sync', '/etc/passwd')).toBe('/sync/etc/passwd');
  });
});

describe('PathClaims', () => {
  it('gives a stable suffix to the second claimant, also when names differ only in case or Unicode form', () => {
    const claims = new PathClaims();
    expect(claims.claim('2024/IMG_1.JPG', 'a', 'asset-a')).toBe('2024/IMG_1.JPG');
    const second = claims.claim('2024/img_1.jpg', 'b', 'asset-b');
    expect(second).toMatch(/^2024\/img_1_[0-9a-f]{7}\.jpg$/);
    const again = new PathClaims();
    again.claim('2024/IMG_1.JPG', 'a', 'asset-a');
    expect(again.claim('2024/img_1.jpg', 'b', 'asset-b')).toBe(second);
    expect(claims.claim('x/J\u00f6rg.jpg', 'c', 'c')).toBe('x/J\u00f6rg.jpg');
    expect(claims.claim('x/Jo\u0308rg.jpg', 'd', 'd')).not.toBe('x/Jo\u0308rg.jpg');
    expect(claims.claim('2024/IMG_1.JPG', 'a', 'asset-a')).toBe('2024/IMG_1.JPG');
  });
});
