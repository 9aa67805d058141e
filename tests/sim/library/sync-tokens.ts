import { hash32, hashString } from './hash.js';

/**
 * Sync tokens look like Apple's (base64, starting "AQAA") and carry a sequence number plus a keyed
 * check, so a token from another zone, another library or a corrupted string is recognised as bad.
 * Zone and database tokens use different namespaces, as at Apple.
 */

export type TokenSpace = 'zone' | 'database';

export function encodeToken(seed: number, space: TokenSpace, scope: string, seq: number): string {
  const bytes = Buffer.alloc(24);
  bytes.writeUInt32BE(0x01000000, 0);
  bytes.writeUInt32BE(Math.floor(seq / 2 ** 32), 4);
  bytes.writeUInt32BE(seq >>> 0, 8);
  bytes.writeUInt32BE(hashString(`${space}:${scope}`), 12);
  bytes.writeUInt32BE(hash32(seed, hashString(`${space}:${scope}`), seq), 16);
  bytes.writeUInt32BE(hash32(seed, seq, 0x70c), 20);
  return bytes.toString('base64');
}

/** The sequence number in a token, or undefined if it is not a token of this scope. */
export function decodeToken(seed: number, space: TokenSpace, scope: string, token: string): number | undefined {
  if (!/^[A-Za-z0-9+/]{32}$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64');
  const seq = bytes.readUInt32BE(4) * 2 ** 32 + bytes.readUInt32BE(8);
  return encodeToken(seed, space, scope, seq) === token ? seq : undefined;
}
