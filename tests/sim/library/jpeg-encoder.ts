import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';

export interface JpegEncoder {
  encode(image: { width: number; height: number; data: Buffer }): Buffer;
}

export const JPEG_QUALITY = 80;

/** jpeg-js's public `encode`: correct, but it rebuilds its Huffman and colour tables every call (~35 ms). */
export const publicJpegEncoder: JpegEncoder = {
  encode: (image) => jpeg.encode(image, JPEG_QUALITY).data,
};

/**
 * One reused JPEGEncoder takes under 1 ms an image. jpeg-js (pinned to 0.4.4, no `exports` map)
 * does not export the constructor, so it is read from `lib/encoder.js` of the installed copy.
 * Undefined when that file no longer has it; tests/unit/sim-jpeg-encoder.test.ts then fails,
 * so an upgrade that breaks this is noticed instead of silently making every image slow.
 */
export function loadReusableJpegEncoder(): JpegEncoder | undefined {
  try {
    const require = createRequire(import.meta.url);
    const source = readFileSync(require.resolve('jpeg-js/lib/encoder.js'), 'utf8');
    const factory = new Function('module', 'exports', 'require', `${source}\n;return JPEGEncoder;`) as (
      ...args: unknown[]
    ) => new (quality: number) => { encode(image: unknown, quality: number): ArrayLike<number> };
    const Encoder = factory({ exports: {} }, {}, require);
    const encoder = new Encoder(JPEG_QUALITY);
    return { encode: (image) => Buffer.from(encoder.encode(image, JPEG_QUALITY)) };
  } catch {
    return undefined;
  }
}

/** The encoder the library uses: the reusable one when it loads, else the public one. */
export const jpegEncoder: JpegEncoder = loadReusableJpegEncoder() ?? publicJpegEncoder;
