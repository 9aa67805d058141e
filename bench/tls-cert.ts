import { readFileSync } from 'node:fs';
import { makeTestCertificate } from '../tests/support/tls-cert.js';
import { SIM_HOSTS } from '../tests/sim/types.js';

export interface BenchCertificate {
  /** PEM file of the private CA: NODE_EXTRA_CA_CERTS for the client, --cacert for curl. */
  caPath: string;
  /** PEM key and certificate the simulator serves, naming every simulated host. */
  key: string;
  cert: string;
}

/** A private CA and one server certificate for every simulator host (tests/support/tls-cert.ts). */
export function makeBenchCertificate(dir: string): BenchCertificate {
  const made = makeTestCertificate(dir, Object.values(SIM_HOSTS).map((name) => `DNS:${name}`));
  return { caPath: made.caPath, key: readFileSync(made.keyPath, 'utf8'), cert: readFileSync(made.certPath, 'utf8') };
}
