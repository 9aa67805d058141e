import { deflateSync } from 'node:zlib';
import { hash32 } from './hash.js';
import { jpegEncoder } from './jpeg-encoder.js';

/**
 * Small real images with a pattern derived from the asset (smooth gradients and a disc), so a UI
 * shows distinct thumbnails and tests can decode them. Smooth content keeps them a few KB.
 */

interface Pattern {
  width: number;
  height: number;
  key: number;
  /** Edited renditions look visibly different (inverted). */
  inverted: boolean;
}

function pixelAt(p: Pattern, x: number, y: number): [number, number, number] {
  const k = p.key;
  const fx = x / p.width;
  const fy = y / p.height;
  const base = [(k & 0xff) / 255, ((k >>> 8) & 0xff) / 255, ((k >>> 16) & 0xff) / 255];
  const cx = 0.25 + ((k >>> 24) & 0x7f) / 254;
  const inDisc = (fx - cx) ** 2 + (fy - 0.5) ** 2 < 0.06;
  const rgb: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const gradient = ((base[c] ?? 0) * 0.6 + (c === 0 ? fx : c === 1 ? fy : 1 - fx) * 0.4) * 255;
    const value = inDisc ? 255 - gradient : gradient;
    rgb[c] = Math.round(p.inverted ? 255 - value : value);
  }
  return rgb;
}

export function encodeJpeg(width: number, height: number, key: number, inverted = false): Buffer {
  const pattern: Pattern = { width, height, key: hash32(key), inverted };
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixelAt(pattern, x, y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return jpegEncoder.encode({ width, height, data });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(width: number, height: number, key: number): Buffer {
  const pattern: Pattern = { width, height, key: hash32(key), inverted: false };
  const rowLength = 1 + width * 3;
  const raw = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y++) {
    raw[y * rowLength] = 1; // filter "Sub": gradients become runs of small numbers, which deflate well
    let previous: [number, number, number] = [0, 0, 0];
    for (let x = 0; x < width; x++) {
      const pixel = pixelAt(pattern, x, y);
      const at = y * rowLength + 1 + x * 3;
      for (let c = 0; c < 3; c++) raw[at + c] = ((pixel[c] ?? 0) - (previous[c] ?? 0)) & 0xff;
      previous = pixel;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
