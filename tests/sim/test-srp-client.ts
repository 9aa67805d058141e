import { randomBytes } from 'node:crypto';
import {
  N,
  g,
  k,
  computeM1,
  computeM2,
  computeU,
  computeX,
  derivePassword,
  modPow,
  sha256,
  toBigInt,
  toBytes,
  type SrpProtocol,
} from './srp-math.js';

/** Client half of SRP for the simulator's own tests (the product client lives in src-main). */
export class TestSrpClient {
  private readonly a = toBigInt(randomBytes(32));
  readonly A = modPow(g, this.a, N);

  /** base64(BYTES(A)) for signin/init. */
  get aBase64(): string {
    return toBytes(this.A).toString('base64');
  }

  /** From the signin/init answer to the m1/m2 proofs for signin/complete. */
  proofs(
    accountName: string,
    password: string,
    init: { salt: string; b: string; iteration: number; protocol: SrpProtocol },
  ): { m1: string; m2: string } {
    const salt = Buffer.from(init.salt, 'base64');
    const B = toBigInt(Buffer.from(init.b, 'base64'));
    const x = computeX(salt, derivePassword(password, salt, init.iteration, init.protocol));
    const u = computeU(this.A, B);
    const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
    const S = modPow(base, this.a + u * x, N);
    const K = sha256(toBytes(S));
    const m1 = computeM1(accountName, salt, this.A, B, K);
    return { m1: m1.toString('base64'), m2: computeM2(this.A, m1, K).toString('base64') };
  }
}
