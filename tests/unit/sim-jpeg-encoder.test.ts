import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { loadReusableJpegEncoder, publicJpegEncoder } from '../sim/library/jpeg-encoder.js';

function gradient(width: number, height: number, shift: number): { width: number; height: number; data: Buffer } {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i + shift) & 0xff, (i >> 3) & 0xff, shift & 0xff, 255], i * 4);
  return { width, height, data };
}

describe('simulator JPEG encoder', () => {
  it('loads the reusable encoder from the pinned jpeg-js (a failure here means an upgrade broke the fast path)', () => {
    expect(loadReusableJpegEncoder()).toBeDefined();
  });

  it('the reusable encoder gives the same bytes as the public fallback, call after call', () => {
    const reusable = loadReusableJpegEncoder();
    if (!reusable) throw new Error('reusable encoder missing');
    const a = gradient(48, 32, 7);
    const b = gradient(20, 60, 200);
    const first = reusable.encode(a);
    reusable.encode(b);
    expect(reusable.encode(a).equals(first)).toBe(true);
    expect(publicJpegEncoder.encode(a).equals(first)).toBe(true);
    expect(publicJpegEncoder.encode(b).equals(reusable.encode(b))).toBe(true);
  });

  it('the public fallback alone makes decodable JPEGs of the right size', () => {
    const bytes = publicJpegEncoder.encode(gradient(33, 17, 3));
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const decoded = jpeg.decode(bytes);
    expect([decoded.width, decoded.height]).toEqual([33, 17]);
  });
});
