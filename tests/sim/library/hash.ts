/**
 * Cheap deterministic hashing: every generated property is a pure function of (seed, numbers), so
 * nothing about an asset has to be stored until a test changes it.
 */

/** A strong 32-bit integer finaliser (lowbias32). */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a list of integers (each taken modulo 2^32). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) h = mix32(h ^ mix32((part >>> 0) + 0x632be5ab));
  return h;
}

/** A number in [0, 1) from the parts. */
export function unit(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}

/** An integer in [min, max] from the parts. */
export function intBetween(min: number, max: number, ...parts: number[]): number {
  return min + Math.floor(unit(...parts) * (max - min + 1));
}

/** `length` deterministic bytes from the parts. */
export function hashBytes(length: number, ...parts: number[]): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 4) {
    const word = hash32(...parts, i);
    for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
  }
  return out;
}

/** FNV-1a of a string, for mixing names into hashes. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Picks one element deterministically. */
export function pick<T>(items: readonly T[], ...parts: number[]): T {
  const item = items[hash32(...parts) % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
