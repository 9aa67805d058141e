/**
 * Azurite, Azure's storage emulator (npm devDependency), started on 127.0.0.1 on a free port with
 * in-memory storage, and a small proxy in front of it that records every request (to count what a
 * run costs), can answer some requests itself (throttling, a full account) and can hold a request
 * unanswered (so a test can kill the uploader in the middle of a file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

const ROOT = new URL('../../', import.meta.url).pathname;
const AZURITE_BLOB = join(ROOT, 'node_modules/azurite/dist/src/blob/main.js');

/** Azurite's well-known development account (public, documented by Microsoft). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** http://127.0.0.1:<port> of Azurite itself. */
  origin: string;
  connectionString(origin?: string, key?: string): string;
  /** A client straight to Azurite (not through any proxy), for the test's own checks. */
  service: BlobServiceClient;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Serve HTTPS with this key and certificate (PEM files), as OAuth needs. */
  tls?: { keyPath: string; certPath: string };
  /** Accept bearer tokens: Azurite's "basic" check (issuer, audience, lifetime; no signature). */
  oauth?: 'basic';
}

/** Over HTTPS, `service` works only in a process that trusts the certificate's CA. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const extra = [
    ...(options.tls ? ['--cert', options.tls.certPath, '--key', options.tls.keyPath] : []),
    ...(options.oauth ? ['--oauth', options.oauth] : []),
  ];
  const child = spawn(
    process.execPath,
    [AZURITE_BLOB, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--skipApiVersionCheck', '--loose', '--disableTelemetry', '--silent', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const origin = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listens on (https?:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`Azurite exited (${code}) before listening: ${output}`)));
  });
  child.removeAllListeners('exit');
  const connectionString = (at = origin, key = DEV_KEY) =>
    `DefaultEndpointsProtocol=${options.tls ? 'https' : 'http'};AccountName=${DEV_ACCOUNT};AccountKey=${key};BlobEndpoint=${at}/${DEV_ACCOUNT};`;
  return {
    origin,
    connectionString,
    service: BlobServiceClient.fromConnectionString(connectionString()),
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The blob operation: `comp` of the query (block, blocklist...) or the method alone. */
  comp: string | null;
  /** For Put Block: the block id. */
  blockId: string | null;
  status: number;
  bytes: number;
}

/** What the proxy answers itself instead of forwarding: a status, headers and Azure's XML error. */
export interface InjectedAnswer {
  status: number;
  headers?: Record<string, string>;
  errorCode: string;
}

export interface AzureProxy {
  origin: string;
  requests: RecordedRequest[];
  /** Return an answer to give it instead of Azurite's, 'hold' to never answer, or null to forward. */
  intercept: ((req: { method: string; url: string; comp: string | null }) => InjectedAnswer | 'hold' | null) | null;
  /** Resolves when a request is held. */
  held: Promise<void>;
  /** Resolves once no forwarded request is waiting for Azurite's answer. */
  idle(): Promise<void>;
  /** Drops the connections of the held requests (the client sees a network failure and may retry). */
  dropHeld(): void;
  close(): Promise<void>;
}

export async function startAzureProxy(target: string): Promise<AzureProxy> {
  const targetUrl = new URL(target);
  let onHeld: () => void = () => {};
  let forwarding = 0;
  let idleWaiters: Array<() => void> = [];
  const settle = () => {
    if (--forwarding > 0) return;
    idleWaiters.forEach((resolve) => resolve());
    idleWaiters = [];
  };
  const proxy: AzureProxy = {
    origin: '',
    requests: [],
    intercept: null,
    held: new Promise<void>((resolve) => (onHeld = resolve)),
    idle: () => (forwarding === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    dropHeld: () => heldResponses.splice(0).forEach((res) => res.destroy()),
    close: () => {
      proxy.dropHeld();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const heldResponses: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const query = new URL(url, 'http://x').searchParams;
    const comp = query.get('comp');
    const record: RecordedRequest = { method: req.method ?? 'GET', url, comp, blockId: comp === 'block' ? query.get('blockid') : null, status: 0, bytes: 0 };
    const answer = proxy.intercept?.({ method: record.method, url, comp }) ?? null;
    if (answer === 'hold') {
      heldResponses.push(res);
      req.resume();
      onHeld();
      return;
    }
    if (answer) {
      req.resume();
      record.status = answer.status;
      proxy.requests.push(record);
      const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${answer.errorCode}</Code><Message>injected by the test proxy</Message></Error>`;
      res.writeHead(answer.status, { 'content-type': 'application/xml', 'x-ms-error-code': answer.errorCode, ...answer.headers }).end(body);
      return;
    }
    forwarding++;
    const forward = httpRequest(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: url, headers: req.headers },
      (upstream) => {
        record.status = upstream.statusCode ?? 0;
        proxy.requests.push(record);
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
        upstream.on('end', settle);
      },
    );
    req.on('data', (chunk: Buffer) => (record.bytes += chunk.length));
    forward.on('error', () => {
      settle();
      res.destroy();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  proxy.origin = `http://127.0.0.1:${address.port}`;
  return proxy;
}

/** Every blob of a container with its properties and metadata. */
export async function listBlobs(container: ContainerClient) {
  const blobs = [];
  for await (const blob of container.listBlobsFlat({ includeMetadata: true })) blobs.push(blob);
  return blobs;
}
