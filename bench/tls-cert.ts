import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_HOSTS } from '../tests/sim/types.js';

export interface BenchCertificate {
  /** PEM file of the private CA: NODE_EXTRA_CA_CERTS for the client, --cacert for curl. */
  caPath: string;
  /** PEM key and certificate the simulator serves, naming every simulated host. */
  key: string;
  cert: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A private CA and one server certificate for every simulator host, made fresh with Debian's
 * openssl in `dir` (nothing is trusted system-wide: only the processes told about the CA trust it).
 * ECDSA P-256, the kind of key Apple's own servers present.
 */
export function makeBenchCertificate(dir: string): BenchCertificate {
  const names = Object.values(SIM_HOSTS);
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=iCloud Photo Sync bench CA'], dir);
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${names[0]}`], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext'], dir);
  return { caPath: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') };
}
