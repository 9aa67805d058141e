/**
 * A stand-in for Microsoft Entra ID, which this machine cannot reach: the managed identity endpoint
 * of Azure App Service (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`, which `DefaultAzureCredential`
 * reads), on 127.0.0.1, handing out access tokens Azurite's `--oauth basic` accepts. Azurite checks a
 * token's issuer, audience and lifetime, not its signature, so the token is an unsigned JWT.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface TokenIssuer {
  /** The environment that makes DefaultAzureCredential ask this issuer. */
  env: NodeJS.ProcessEnv;
  /** The `resource` of each token asked for. */
  requests: string[];
  /** The audience of the tokens handed out (Azure Storage's by default). */
  audience: string;
  close(): Promise<void>;
}

const TENANT = '00000000-0000-4000-8000-000000000018';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function unsignedJwt(audience: string, lifetimeSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: audience, iss: `https://sts.windows.net/${TENANT}/`, iat: now - 60, nbf: now - 60, exp: now + lifetimeSeconds, tid: TENANT, oid: 'test-identity' };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const secret = randomBytes(16).toString('hex');
  const issuer: TokenIssuer = { env: {}, requests: [], audience: 'https://storage.azure.com', close: () => new Promise((resolve) => server.close(() => resolve())) };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const resource = url.searchParams.get('resource') ?? '';
    issuer.requests.push(resource);
    // As App Service: only a caller that knows the header's secret gets a token.
    if (req.headers['x-identity-header'] !== secret || !resource) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request' }));
      return;
    }
    const lifetime = 3600;
    const body = { access_token: unsignedJwt(issuer.audience, lifetime), expires_on: String(Math.floor(Date.now() / 1000) + lifetime), resource, token_type: 'Bearer' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('token issuer has no port');
  issuer.env = { IDENTITY_ENDPOINT: `http://127.0.0.1:${address.port}/msi/token`, IDENTITY_HEADER: secret };
  return issuer;
}
