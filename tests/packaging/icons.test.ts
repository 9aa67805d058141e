import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  LINUX_ICON_SIZES,
  TRAY_ICON_SIZES,
  WINDOWS_ICO_SIZES,
  renderTrayIcons,
  staleAppIcons,
  trayIconSvg,
} from '../../build/icons.js';
import { REPO_ROOT } from './offline-build.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The images an ICO file holds, read from its directory. */
function icoImages(ico: Buffer): { declaredSize: number; png: Buffer }[] {
  expect(ico.readUInt16LE(0)).toBe(0);
  expect(ico.readUInt16LE(2)).toBe(1);
  return Array.from({ length: ico.readUInt16LE(4) }, (_, index) => {
    const entry = 6 + 16 * index;
    const length = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    return { declaredSize: ico.readUInt8(entry) || 256, png: ico.subarray(offset, offset + length) };
  });
}

describe('icons from build/icons.ts', () => {
  it('committed app icons are exactly what build/icon.svg renders (run `npm run icons` after editing it)', () => {
    expect(staleAppIcons()).toEqual([]);
  });

  it('has a Linux PNG at every hicolor size and a Windows ICO with every shell size up to 256 px', () => {
    for (const size of LINUX_ICON_SIZES) {
      expect(pngSize(readFileSync(path.join(REPO_ROOT, `build/icons/${size}x${size}.png`)))).toEqual({ width: size, height: size });
    }
    const images = icoImages(readFileSync(path.join(REPO_ROOT, 'build/icon.ico')));
    expect(images.map((image) => image.declaredSize)).toEqual([...WINDOWS_ICO_SIZES]);
    for (const image of images) expect(pngSize(image.png)).toEqual({ width: image.declaredSize, height: image.declaredSize });
    expect(pngSize(readFileSync(path.join(REPO_ROOT, 'build/icon.png')))).toEqual({ width: 256, height: 256 });
  });

  it('emits tray icons per state for light and dark panels: PNGs for Linux, an ICO for Windows', () => {
    const files = renderTrayIcons([{ name: 'up-to-date' }, { name: 'error', badge: { color: '#d93025', glyph: 'exclamation' } }]);
    expect([...files.keys()].sort()).toEqual(
      ['up-to-date', 'error']
        .flatMap((state) => ['light', 'dark'].flatMap((variant) => [...TRAY_ICON_SIZES.map((size) => `${state}-${variant}-${size}.png`), `${state}-${variant}.ico`]))
        .sort(),
    );
    for (const size of TRAY_ICON_SIZES) expect(pngSize(files.get(`error-dark-${size}.png`)!)).toEqual({ width: size, height: size });
    expect(icoImages(files.get('error-light.ico')!).map((image) => image.declaredSize)).toEqual([...TRAY_ICON_SIZES]);
    // Each state and variant is its own picture.
    expect(files.get('error-light-16.png')!.equals(files.get('error-dark-16.png')!)).toBe(false);
    expect(files.get('error-light-16.png')!.equals(files.get('up-to-date-light-16.png')!)).toBe(false);
    expect(trayIconSvg({ name: 'error', badge: { color: '#d93025' } }, 'dark')).toContain('#d93025');
    expect(() => renderTrayIcons([{ name: '../evil' }])).toThrow(/lower-case letters/);
  });
});
