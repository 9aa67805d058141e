import { createHash, pbkdf2Sync } from 'node:crypto';

/**
 * SRP-6a primitives exactly as Apple's web sign-in uses them (protocol spec 1.4): RFC 5054 2048-bit
 * group, g = 2, SHA-256, an empty identity in x, and the raw-byte convention for salt and H(":"|p).
 * Written independently of the product client so a shared bug cannot hide.
 */
export const N = BigInt(
  '0xac6bdb41324a9a9bf166de5e1389582faf72b6651987ee07fc3192943db56050a37329cbb4a099ed8193e0757767a13d' +
    'd52312ab4b03310dcd7f48a9da04fd50e8083969edb767b0cf6095179a163ab3661a05fbd5faaae82918a9962f0b93b8' +
    '55f97993ec975eeaa80d740adbf4ff747359d041d5c33ea71d281e446b14773bca97b43a23fb801676bd207a436c6481' +
    'f1d2b9078717461a5b9d32e688f87748544523b524b0d57d5ea77a2775d2ecfa032cfbdbf52fb3786160279004e57ae6' +
    'af874e7303ce53299ccc041c7bc308d82a5698f3a8d0c38271ae35f8e9dbfbb694b5c803d89f7ae435de236d525f5475' +
    '9b65e372fcd68ef20fa7111f9e4aff73',
);
export const g = 2n;
const PAD_LENGTH = 256;

export type SrpProtocol = 's2k' | 's2k_fo';
/**
 * How the salt and H(":"|p) are hashed when they start with 0x00 (spec 1.4, Apple's choice unknown):
 * `raw` bytes as they are (the default), or `integer` (pysrp's: through an integer and back, which
 * drops leading zero bytes), the switch that tests the client's one retry in the other convention.
 */
export type SrpByteConvention = 'raw' | 'integer';

/** The salt or hash as the convention hashes it. */
export function conventionBytes(bytes: Buffer, convention: SrpByteConvention): Buffer {
  return convention === 'raw' ? bytes : toBytes(toBigInt(bytes));
}

export function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** Big-endian, minimal length (at least one byte). */
export function toBytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** Big-endian, left-padded with zeros to the group size. */
export function pad(n: bigint): Buffer {
  const raw = toBytes(n);
  return Buffer.concat([Buffer.alloc(PAD_LENGTH - raw.length), raw]);
}

export function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

export const k = toBigInt(sha256(toBytes(N), pad(g)));

/** PBKDF2 over SHA-256(password): raw digest for s2k, its lowercase hex text for s2k_fo. */
export function derivePassword(password: string, salt: Buffer, iterations: number, protocol: SrpProtocol): Buffer {
  const digest = sha256(Buffer.from(password, 'utf8'));
  const keyMaterial = protocol === 's2k' ? digest : Buffer.from(digest.toString('hex'), 'ascii');
  return pbkdf2Sync(keyMaterial, salt, iterations, 32, 'sha256');
}

export function computeX(salt: Buffer, derivedPassword: Buffer, convention: SrpByteConvention = 'raw'): bigint {
  const inner = sha256(Buffer.from(':'), derivedPassword);
  return toBigInt(sha256(conventionBytes(salt, convention), conventionBytes(inner, convention)));
}

export function computeVerifier(x: bigint): bigint {
  return modPow(g, x, N);
}

export function computeU(A: bigint, B: bigint): bigint {
  return toBigInt(sha256(pad(A), pad(B)));
}

export function computeM1(accountName: string, salt: Buffer, A: bigint, B: bigint, K: Buffer): Buffer {
  const hN = sha256(toBytes(N));
  const hg = sha256(pad(g));
  const xored = Buffer.alloc(hN.length);
  for (let i = 0; i < hN.length; i++) xored[i] = (hN[i] ?? 0) ^ (hg[i] ?? 0);
  return sha256(xored, sha256(Buffer.from(accountName, 'utf8')), salt, toBytes(A), toBytes(B), K);
}

export function computeM2(A: bigint, M1: Buffer, K: Buffer): Buffer {
  return sha256(toBytes(A), M1, K);
}
