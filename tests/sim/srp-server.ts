import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  N,
  g,
  k,
  computeM1,
  computeM2,
  computeU,
  computeVerifier,
  computeX,
  conventionBytes,
  derivePassword,
  modPow,
  sha256,
  toBigInt,
  toBytes,
  type SrpByteConvention,
  type SrpProtocol,
} from './srp-math.js';

/** What the server stores per account (spec 7.1 item 2): never the password itself. */
export interface SrpVerifierRecord {
  salt: Buffer;
  iterations: number;
  protocol: SrpProtocol;
  verifier: bigint;
  convention: SrpByteConvention;
}

export function createVerifierRecord(
  password: string,
  salt: Buffer,
  iterations: number,
  protocol: SrpProtocol,
  convention: SrpByteConvention = 'raw',
): SrpVerifierRecord {
  const x = computeX(salt, derivePassword(password, salt, iterations, protocol), convention);
  return { salt, iterations, protocol, verifier: computeVerifier(x), convention };
}

/** One server side of an SRP exchange, from signin/init's B to signin/complete's proof check. */
export interface SrpServerExchange {
  A: bigint;
  B: bigint;
  /** Premaster secret and session key, for tests; never leave the simulator otherwise. */
  S: bigint;
  K: Buffer;
  expectedM1: Buffer;
  expectedM2: Buffer;
}

export class SrpRejected extends Error {}

/**
 * B = k*v + g^b; S = (A * v^u)^b. `privateB` is random unless a test pins it to a vector.
 * Throws SrpRejected for an A that would make the secret guessable.
 */
export function startExchange(
  record: SrpVerifierRecord,
  accountName: string,
  A: bigint,
  privateB: bigint = toBigInt(randomBytes(32)),
): SrpServerExchange {
  if (A % N === 0n) throw new SrpRejected('A is zero modulo N');
  const B = (k * record.verifier + modPow(g, privateB, N)) % N;
  const u = computeU(A, B);
  if (u === 0n) throw new SrpRejected('u is zero');
  const S = modPow(A * modPow(record.verifier, u, N), privateB, N);
  const K = sha256(toBytes(S));
  const expectedM1 = computeM1(accountName, conventionBytes(record.salt, record.convention), A, B, K);
  return { A, B, S, K, expectedM1, expectedM2: computeM2(A, expectedM1, K) };
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The client sends both proofs (Apple sends none back); both must match. */
export function verifyClientProofs(exchange: SrpServerExchange, m1: Buffer, m2: Buffer): boolean {
  return sameBytes(exchange.expectedM1, m1) && sameBytes(exchange.expectedM2, m2);
}
