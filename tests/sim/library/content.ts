import { createCipheriv } from 'node:crypto';
import { Readable } from 'node:stream';
import { hash32, hashBytes } from './hash.js';
import { encodeJpeg, encodePng } from './images.js';
import type { ResourceKey } from './ids.js';
import type { ContentFormat, SimContent, SimResource } from './types.js';

/**
 * A resource's bytes = a format prefix (a real JPEG/PNG image, or a container header) followed by
 * an AES-128-CTR keystream keyed by the resource. CTR gives random access, so any byte range is
 * produced directly and fast, and nothing big is ever held in memory.
 */

const CHUNK = 256 * 1024;
// Room for the up-to-15 bytes skipped when a range starts inside a 16-byte AES block.
const ZEROES = Buffer.alloc(CHUNK + 16);

/** Container headers so filler never starts like HTML or JSON (clients reject such bodies). */
const HEADERS: Record<Exclude<ContentFormat, 'jpeg' | 'png'>, Buffer> = {
  heic: Buffer.from('000000186674797068656963000000006d69663168656963', 'hex'),
  mov: Buffer.from('0000001466747970717420200000000071742020', 'hex'),
  raw: Buffer.from('49492a0008000000', 'hex'),
};

const prefixCache = new Map<string, Buffer>();
const PREFIX_CACHE_LIMIT = 512;

function prefixOf(seed: number, key: ResourceKey, resource: SimResource): Buffer {
  const cacheKey = `${seed}:${resource.fileChecksum}`;
  const cached = prefixCache.get(cacheKey);
  if (cached) return cached;
  // Same pattern for every rendition of one asset, so thumbnail and original show the same picture.
  const pattern = hash32(seed, key.serial);
  const edited = resource.field === 'resJPEGFull';
  let prefix: Buffer;
  if (resource.format === 'jpeg') prefix = encodeJpeg(resource.width, resource.height, pattern + key.version, edited);
  else if (resource.format === 'png') prefix = encodePng(resource.width, resource.height, pattern);
  else prefix = HEADERS[resource.format];
  if (prefix.length > resource.size) throw new Error(`image of ${resource.fileChecksum} is larger than its size`);
  if (prefixCache.size >= PREFIX_CACHE_LIMIT) prefixCache.delete(prefixCache.keys().next().value ?? '');
  prefixCache.set(cacheKey, prefix);
  return prefix;
}

class Keystream {
  private readonly cipher;
  private skip: number;

  constructor(seed: number, key: ResourceKey, start: number) {
    const aesKey = hashBytes(16, seed, 0xae5, key.serial, key.slot, key.version);
    const iv = Buffer.concat([hashBytes(8, seed, 0x1f, key.serial, key.slot, key.version), Buffer.alloc(8)]);
    const block = Math.floor(start / 16);
    iv.writeUInt32BE(Math.floor(block / 2 ** 32), 8);
    iv.writeUInt32BE(block >>> 0, 12);
    this.cipher = createCipheriv('aes-128-ctr', aesKey, iv);
    this.skip = start % 16;
  }

  next(length: number): Buffer {
    const out = this.cipher.update(ZEROES.subarray(0, length + this.skip));
    const result = this.skip ? out.subarray(this.skip) : out;
    this.skip = 0;
    return result;
  }
}

function overlayPrefix(chunk: Buffer, chunkStart: number, prefix: Buffer): void {
  if (chunkStart >= prefix.length) return;
  prefix.copy(chunk, 0, chunkStart, Math.min(prefix.length, chunkStart + chunk.length));
}

function clampRange(size: number, start = 0, end = size): [number, number] {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > size || start > end) {
    throw new RangeError(`bad range [${start}, ${end}) of ${size} bytes`);
  }
  return [start, end];
}

export function createContent(seed: number, key: ResourceKey, resource: SimResource): SimContent {
  const size = resource.size;
  return {
    size,
    format: resource.format,
    read(start?: number, end?: number): Buffer {
      const [from, to] = clampRange(size, start, end);
      const parts: Buffer[] = [];
      const keystream = new Keystream(seed, key, from);
      for (let at = from; at < to; at += CHUNK) {
        const chunk = keystream.next(Math.min(CHUNK, to - at));
        overlayPrefix(chunk, at, prefixOf(seed, key, resource));
        parts.push(chunk);
      }
      return Buffer.concat(parts);
    },
    stream(start?: number, end?: number): Readable {
      const [from, to] = clampRange(size, start, end);
      let at = from;
      let keystream: Keystream | undefined;
      return new Readable({
        highWaterMark: CHUNK,
        read() {
          if (at >= to) {
            this.push(null);
            return;
          }
          try {
            keystream ??= new Keystream(seed, key, from);
            const chunk = keystream.next(Math.min(CHUNK, to - at));
            overlayPrefix(chunk, at, prefixOf(seed, key, resource));
            at += chunk.length;
            this.push(chunk);
          } catch (error) {
            this.destroy(error as Error);
          }
        },
      });
    },
  };
}
