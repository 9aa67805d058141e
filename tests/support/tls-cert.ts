import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  /** PEM file of the private CA: NODE_EXTRA_CA_CERTS for a client process, --cacert for curl. */
  caPath: string;
  /** PEM files of the server's key and certificate. */
  keyPath: string;
  certPath: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A private CA and one server certificate for `subjectAltNames` (`DNS:host`, `IP:127.0.0.1`), made
 * fresh with Debian's openssl in `dir` (nothing is trusted system-wide: only the processes told about
 * the CA trust it). ECDSA P-256.
 */
export function makeTestCertificate(dir: string, subjectAltNames: string[]): TestCertificate {
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${subjectAltNames.join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=iCloud Photo Sync test CA'], dir);
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=iCloud Photo Sync test server'], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext'], dir);
  return { caPath: join(dir, 'ca.pem'), keyPath: join(dir, 'server.key'), certPath: join(dir, 'server.pem') };
}
