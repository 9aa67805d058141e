import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * SRP-6a client math as Apple's web sign-in uses it (protocol spec 1.4): RFC 5054 2048-bit group,
 * SHA-256, no username in x, the account name hashed into M1, and the client sending M2 too.
 * Byte convention: the salt and H(":"|p) are hashed as raw bytes even with a leading 0x00
 * (the JavaScript and Rust clients' choice; see the vectors' divergentCases). Apple's own choice
 * is unknown, so "stripped" (pysrp's: both turned into an integer and back, losing leading zero
 * bytes) is the fallback a sign-in tries once when raw bytes got a wrong-password answer.
 */
export type SrpProtocol = 's2k' | 's2k_fo';
export type SrpByteConvention = 'raw' | 'stripped';

const N_HEX =
  'ac6bdb41324a9a9bf166de5e1389582faf72b6651987ee07fc3192943db56050a37329cbb4a099ed8193e0757767a13dd52312ab4b03310dcd7f48a9da04fd50e8083969edb767b0cf6095179a163ab3661a05fbd5faaae82918a9962f0b93b855f97993ec975eeaa80d740adbf4ff747359d041d5c33ea71d281e446b14773bca97b43a23fb801676bd207a436c6481f1d2b9078717461a5b9d32e688f87748544523b524b0d57d5ea77a2775d2ecfa032cfbdbf52fb3786160279004e57ae6af874e7303ce53299ccc041c7bc308d82a5698f3a8d0c38271ae35f8e9dbfbb694b5c803d89f7ae435de236d525f54759b65e372fcd68ef20fa7111f9e4aff73';

export const SRP_N = BigInt(`0x${N_HEX}`);
export const SRP_G = 2n;
const PAD_LENGTH = 256;

export function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** Big-endian, minimal length (BYTES in the spec). */
export function bigToBytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** Big-endian, left-padded to the group size (PAD in the spec). */
export function bigToPadded(value: bigint): Buffer {
  const bytes = bigToBytes(value);
  return Buffer.concat([Buffer.alloc(PAD_LENGTH - bytes.length), bytes]);
}

export function bytesToBig(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}

export const SRP_K = bytesToBig(sha256(bigToBytes(SRP_N), bigToPadded(SRP_G)));

/** PBKDF2 input: s2k uses the raw SHA-256 of the password, s2k_fo its lowercase hex as ASCII. */
export function passwordKeyMaterial(password: string, protocol: SrpProtocol): Buffer {
  const passwordHash = sha256(Buffer.from(password, 'utf8'));
  return protocol === 's2k' ? passwordHash : Buffer.from(passwordHash.toString('hex'), 'ascii');
}

/** The PBKDF2 output `p` of the spec, for the protocol the server chose. */
export function derivePassword(password: string, salt: Buffer, iterations: number, protocol: SrpProtocol): Buffer {
  return pbkdf2Sync(passwordKeyMaterial(password, protocol), salt, iterations, 32, 'sha256');
}

export interface SrpClientInput {
  accountName: string;
  password: string;
  /** Client private value `a`. */
  a: bigint;
  salt: Buffer;
  iterations: number;
  protocol: SrpProtocol;
  /** Server public value B, as raw bytes (base64-decoded `b`). */
  B: Buffer;
  /** How the salt and H(":"|p) enter x and M1; raw bytes unless said otherwise. */
  convention?: SrpByteConvention;
}

export interface SrpClientProof {
  derivedPassword: Buffer;
  innerHash: Buffer;
  x: bigint;
  A: bigint;
  u: bigint;
  S: bigint;
  K: Buffer;
  M1: Buffer;
  M2: Buffer;
  /** The salt or H(":"|p) starts with a zero byte: the two conventions give different proofs. */
  conventionMatters: boolean;
}

function withoutLeadingZeros(bytes: Buffer): Buffer {
  const first = bytes.findIndex((byte) => byte !== 0);
  return first === -1 ? Buffer.alloc(0) : bytes.subarray(first);
}

export function publicA(a: bigint): bigint {
  return modPow(SRP_G, a, SRP_N);
}

/** Every client-side value of one SRP exchange. Throws on a malicious or broken server value. */
export function computeClientProof(input: SrpClientInput): SrpClientProof {
  const B = bytesToBig(input.B);
  if (B % SRP_N === 0n) throw new Error('SRP: server value B is invalid');
  const A = publicA(input.a);
  const derivedPassword = derivePassword(input.password, input.salt, input.iterations, input.protocol);
  const innerHash = sha256(Buffer.from(':', 'ascii'), derivedPassword);
  const conventionMatters = input.salt[0] === 0 || innerHash[0] === 0;
  const strip = input.convention === 'stripped' ? withoutLeadingZeros : (bytes: Buffer) => bytes;
  const salt = strip(input.salt);
  const x = bytesToBig(sha256(salt, strip(innerHash)));
  const u = bytesToBig(sha256(bigToPadded(A), bigToPadded(B)));
  if (u === 0n) throw new Error('SRP: scrambling value u is zero');
  const v = modPow(SRP_G, x, SRP_N);
  const base = (((B - SRP_K * v) % SRP_N) + SRP_N) % SRP_N;
  const S = modPow(base, input.a + u * x, SRP_N);
  const K = sha256(bigToBytes(S));
  const hN = sha256(bigToBytes(SRP_N));
  const hG = sha256(bigToPadded(SRP_G));
  const nXorG = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) nXorG[i] = (hN[i] ?? 0) ^ (hG[i] ?? 0);
  const M1 = sha256(
    nXorG,
    sha256(Buffer.from(input.accountName, 'utf8')),
    salt,
    bigToBytes(A),
    bigToBytes(B),
    K,
  );
  const M2 = sha256(bigToBytes(A), M1, K);
  return { derivedPassword, innerHash, x, A, u, S, K, M1, M2, conventionMatters };
}

/** One sign-in's SRP client: holds `a` between signin/init and signin/complete. */
export class SrpClient {
  private readonly a: bigint;

  constructor(privateA: Buffer = randomBytes(32)) {
    this.a = bytesToBig(privateA);
  }

  /** The `a` field of signin/init: base64 of BYTES(A). */
  get publicABase64(): string {
    return bigToBytes(publicA(this.a)).toString('base64');
  }

  /** The `m1` and `m2` fields of signin/complete, and whether the other byte convention would differ. */
  prove(input: Omit<SrpClientInput, 'a'>): { m1: string; m2: string; conventionMatters: boolean } {
    const proof = computeClientProof({ ...input, a: this.a });
    return { m1: proof.M1.toString('base64'), m2: proof.M2.toString('base64'), conventionMatters: proof.conventionMatters };
  }
}
