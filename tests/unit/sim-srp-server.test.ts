import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { computeU, k, toBigInt, toBytes } from '../sim/srp-math.js';
import { createVerifierRecord, startExchange, verifyClientProofs } from '../sim/srp-server.js';

const VectorCase = z.object({
  name: z.string(),
  accountName: z.string(),
  password: z.string(),
  protocol: z.enum(['s2k', 's2k_fo']),
  iterations: z.number().int(),
  saltHex: z.string(),
  serverPrivateBHex: z.string(),
  verifierHex: z.string(),
  AHex: z.string(),
  BHex: z.string(),
  uHex: z.string(),
  premasterSecretHex: z.string(),
  sessionKeyHex: z.string(),
  m1Hex: z.string(),
  m2Hex: z.string(),
  m1Base64: z.string(),
  m2Base64: z.string(),
});
const Variant = z.object({ xHex: z.string(), BHex: z.string(), m1Base64: z.string(), m2Base64: z.string() });
const Vectors = z.object({
  group: z.object({ kHex: z.string() }),
  cases: z.array(VectorCase).min(1),
  divergentCases: z.array(VectorCase.extend({ variants: z.record(z.string(), Variant) })).length(2),
});
// shared/ sits beside the repository, in CI as here.
const vectors = Vectors.parse(JSON.parse(readFileSync(new URL('../../../shared/vectors/apple-srp.json', import.meta.url), 'utf8')));

const big = (hex: string): bigint => BigInt(`0x${hex}`);

describe('simulator SRP server against the shared Apple vectors', () => {
  for (const v of vectors.divergentCases) {
    it(`${v.name}: the raw convention gives the main values, the integer one the pysrp variant`, () => {
      const salt = Buffer.from(v.saltHex, 'hex');
      const raw = startExchange(createVerifierRecord(v.password, salt, v.iterations, v.protocol), v.accountName, big(v.AHex), big(v.serverPrivateBHex));
      expect(raw.B).toBe(big(v.BHex));
      expect(raw.expectedM1.toString('base64')).toBe(v.m1Base64);
      const variant = Object.values(v.variants)[0];
      const record = createVerifierRecord(v.password, salt, v.iterations, v.protocol, 'integer');
      const integer = startExchange(record, v.accountName, big(v.AHex), big(v.serverPrivateBHex));
      expect(integer.B).toBe(big(variant?.BHex ?? ''));
      expect(integer.expectedM1.toString('base64')).toBe(variant?.m1Base64);
      expect(integer.expectedM2.toString('base64')).toBe(variant?.m2Base64);
    });
  }

  it('derives the group multiplier k', () => {
    expect(k).toBe(big(vectors.group.kHex));
  });

  for (const v of vectors.cases) {
    describe(v.name, () => {
      const salt = Buffer.from(v.saltHex, 'hex');
      const record = createVerifierRecord(v.password, salt, v.iterations, v.protocol);
      const exchange = startExchange(record, v.accountName, big(v.AHex), big(v.serverPrivateBHex));

      it('computes the verifier, B, u, S and K', () => {
        expect(record.verifier).toBe(big(v.verifierHex));
        expect(exchange.B).toBe(big(v.BHex));
        expect(computeU(exchange.A, exchange.B)).toBe(big(v.uHex));
        expect(exchange.S).toBe(big(v.premasterSecretHex));
        expect(exchange.K.toString('hex')).toBe(v.sessionKeyHex);
      });

      it('expects the vector M1 and M2', () => {
        expect(exchange.expectedM1.toString('hex')).toBe(v.m1Hex);
        expect(exchange.expectedM2.toString('hex')).toBe(v.m2Hex);
      });

      it("accepts the vector's base64 m1/m2 and refuses swapped or altered proofs", () => {
        const m1 = Buffer.from(v.m1Base64, 'base64');
        const m2 = Buffer.from(v.m2Base64, 'base64');
        expect(verifyClientProofs(exchange, m1, m2)).toBe(true);
        expect(verifyClientProofs(exchange, m2, m1)).toBe(false);
        const altered = Buffer.from(m1);
        altered[0] = (altered[0] ?? 0) ^ 1;
        expect(verifyClientProofs(exchange, altered, m2)).toBe(false);
      });
    });
  }

  it('refuses the proof of a client that used a wrong password', () => {
    const v = vectors.cases[0]!;
    const salt = Buffer.from(v.saltHex, 'hex');
    const wrong = createVerifierRecord(`${v.password}x`, salt, v.iterations, v.protocol);
    const exchange = startExchange(wrong, v.accountName, big(v.AHex), big(v.serverPrivateBHex));
    expect(exchange.B).not.toBe(big(v.BHex));
    expect(verifyClientProofs(exchange, Buffer.from(v.m1Base64, 'base64'), Buffer.from(v.m2Base64, 'base64'))).toBe(false);
  });

  it('refuses an A that is zero modulo N', () => {
    const v = vectors.cases[0]!;
    const record = createVerifierRecord(v.password, Buffer.from(v.saltHex, 'hex'), v.iterations, v.protocol);
    expect(() => startExchange(record, v.accountName, 0n)).toThrow();
    expect(toBytes(toBigInt(Buffer.from([0, 1])))).toEqual(Buffer.from([1]));
  });
});
