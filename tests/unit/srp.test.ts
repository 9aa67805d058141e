import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SRP_G,
  SRP_K,
  SRP_N,
  SrpClient,
  bigToBytes,
  bigToPadded,
  bytesToBig,
  computeClientProof,
  modPow,
  passwordKeyMaterial,
  sha256,
  type SrpProtocol,
} from '../../src-main/icloud/srp.js';

interface VectorCase {
  name: string;
  accountName: string;
  password: string;
  passwordUtf8Hex: string;
  protocol: SrpProtocol;
  iterations: number;
  saltHex: string;
  saltBase64: string;
  clientPrivateAHex: string;
  serverPrivateBHex: string;
  passwordSha256Hex: string;
  pbkdf2KeyMaterialHex: string;
  derivedPasswordHex: string;
  innerHashHex: string;
  xHex: string;
  verifierHex: string;
  AHex: string;
  ABase64: string;
  BHex: string;
  BBase64: string;
  uHex: string;
  premasterSecretHex: string;
  sessionKeyHex: string;
  m1Hex: string;
  m1Base64: string;
  m2Hex: string;
  m2Base64: string;
  json: {
    signinInitRequest: { a: string; accountName: string; protocols: string[] };
    signinInitResponse: { iteration: number; salt: string; protocol: string; b: string; c: string };
    signinCompleteRequest: { accountName: string; m1: string; m2: string; c: string };
  };
}

const vectors = JSON.parse(readFileSync('/work/shared/vectors/apple-srp.json', 'utf8')) as {
  group: { NHex: string; kHex: string; hNxorHgHex: string };
  cases: VectorCase[];
  divergentCases: Array<VectorCase & { variants: Record<string, { xHex: string; BHex: string; m1Base64: string; m2Base64: string }> }>;
};

const hex32 = (value: bigint): string => bigToBytes(value).toString('hex').padStart(64, '0');

describe('SRP group constants', () => {
  it('matches N, k and H(N) xor H(g) of the vectors file', () => {
    expect(bigToBytes(SRP_N).toString('hex')).toBe(vectors.group.NHex);
    expect(hex32(SRP_K)).toBe(vectors.group.kHex);
    const hN = sha256(bigToBytes(SRP_N));
    const hG = sha256(bigToPadded(SRP_G));
    const xor = Buffer.from(hN.map((byte, i) => byte ^ (hG[i] ?? 0)));
    expect(xor.toString('hex')).toBe(vectors.group.hNxorHgHex);
  });
});

function checkCase(vector: VectorCase): void {
  const salt = Buffer.from(vector.saltBase64, 'base64');
  expect(salt.toString('hex')).toBe(vector.saltHex);
  expect(Buffer.from(vector.password, 'utf8').toString('hex')).toBe(vector.passwordUtf8Hex);
  expect(sha256(Buffer.from(vector.password, 'utf8')).toString('hex')).toBe(vector.passwordSha256Hex);
  expect(passwordKeyMaterial(vector.password, vector.protocol).toString('hex')).toBe(vector.pbkdf2KeyMaterialHex);

  const a = Buffer.from(vector.clientPrivateAHex, 'hex');
  const B = Buffer.from(vector.BBase64, 'base64');
  expect(B.toString('hex')).toBe(vector.BHex);
  const proof = computeClientProof({
    accountName: vector.accountName,
    password: vector.password,
    a: bytesToBig(a),
    salt,
    iterations: vector.iterations,
    protocol: vector.protocol,
    B,
  });
  expect(proof.derivedPassword.toString('hex')).toBe(vector.derivedPasswordHex);
  expect(proof.innerHash.toString('hex')).toBe(vector.innerHashHex);
  expect(hex32(proof.x)).toBe(vector.xHex);
  expect(bigToBytes(modPow(SRP_G, proof.x, SRP_N)).toString('hex')).toBe(vector.verifierHex);
  expect(bigToBytes(proof.A).toString('hex')).toBe(vector.AHex);
  expect(hex32(proof.u)).toBe(vector.uHex);
  expect(bigToBytes(proof.S).toString('hex')).toBe(vector.premasterSecretHex);
  expect(proof.K.toString('hex')).toBe(vector.sessionKeyHex);
  expect(proof.M1.toString('hex')).toBe(vector.m1Hex);
  expect(proof.M2.toString('hex')).toBe(vector.m2Hex);

  // The server side agrees: B = k*v + g^b, and (A * v^u)^b gives the same S.
  const b = bytesToBig(Buffer.from(vector.serverPrivateBHex, 'hex'));
  const v = modPow(SRP_G, proof.x, SRP_N);
  expect((SRP_K * v + modPow(SRP_G, b, SRP_N)) % SRP_N).toBe(bytesToBig(B));
  expect(modPow((proof.A * modPow(v, proof.u, SRP_N)) % SRP_N, b, SRP_N)).toBe(proof.S);

  // The JSON fields the client sends, through the production class.
  const client = new SrpClient(a);
  expect(client.publicABase64).toBe(vector.ABase64);
  expect(client.publicABase64).toBe(vector.json.signinInitRequest.a);
  const init = vector.json.signinInitResponse;
  const sent = client.prove({
    accountName: vector.accountName,
    password: vector.password,
    salt: Buffer.from(init.salt, 'base64'),
    iterations: init.iteration,
    protocol: init.protocol as SrpProtocol,
    B: Buffer.from(init.b, 'base64'),
  });
  expect(sent.m1).toBe(vector.m1Base64);
  expect(sent.m2).toBe(vector.m2Base64);
  expect(sent.m1).toBe(vector.json.signinCompleteRequest.m1);
  expect(sent.m2).toBe(vector.json.signinCompleteRequest.m2);
}

describe('SRP vectors (regular cases)', () => {
  it('has the six regular cases', () => {
    expect(vectors.cases).toHaveLength(6);
  });
  for (const vector of vectors.cases) {
    it(`reproduces ${vector.name} byte for byte`, () => checkCase(vector));
  }
});

describe('SRP vectors (divergent cases, main raw-byte values)', () => {
  it('has the two divergent cases', () => {
    expect(vectors.divergentCases).toHaveLength(2);
  });
  for (const vector of vectors.divergentCases) {
    it(`reproduces ${vector.name} with raw salt and inner-hash bytes`, () => checkCase(vector));
  }
});

/** The client inputs of a vector, against the server value B given. */
function inputOf(vector: VectorCase, B: Buffer) {
  return {
    accountName: vector.accountName,
    password: vector.password,
    salt: Buffer.from(vector.saltBase64, 'base64'),
    iterations: vector.iterations,
    protocol: vector.protocol,
    B,
  };
}

describe('SRP vectors (divergent cases, the other byte convention)', () => {
  for (const vector of vectors.divergentCases) {
    it(`${vector.name}: "stripped" reproduces the pysrp variant, and the client knows the conventions differ`, () => {
      const variant = Object.values(vector.variants)[0];
      if (!variant) throw new Error('variant missing');
      const a = Buffer.from(vector.clientPrivateAHex, 'hex');
      const input = inputOf(vector, Buffer.from(variant.BHex, 'hex'));
      expect(hex32(computeClientProof({ ...input, a: bytesToBig(a), convention: 'stripped' }).x)).toBe(variant.xHex);
      expect(new SrpClient(a).prove({ ...input, convention: 'stripped' })).toEqual({ m1: variant.m1Base64, m2: variant.m2Base64, conventionMatters: true });
    });
  }

  it('an ordinary salt and hash: the conventions agree and the client says so', () => {
    const vector = vectors.cases[0];
    if (!vector) throw new Error('vector missing');
    const a = bytesToBig(Buffer.from(vector.clientPrivateAHex, 'hex'));
    const stripped = computeClientProof({ ...inputOf(vector, Buffer.from(vector.BBase64, 'base64')), a, convention: 'stripped' });
    expect(stripped.M1.toString('hex')).toBe(vector.m1Hex);
    expect(stripped.conventionMatters).toBe(false);
  });
});

describe('SrpClient', () => {
  it('uses a fresh random private value per sign-in', () => {
    expect(new SrpClient().publicABase64).not.toBe(new SrpClient().publicABase64);
  });

  it('refuses a server value B that is a multiple of N', () => {
    const client = new SrpClient();
    const input = { accountName: 'a@b.c', password: 'x', salt: Buffer.alloc(16, 1), iterations: 1, protocol: 's2k' as const };
    expect(() => client.prove({ ...input, B: bigToBytes(SRP_N) })).toThrow(/invalid/);
    expect(() => client.prove({ ...input, B: Buffer.alloc(0) })).toThrow(/invalid/);
  });
});
