/**
 * Local fakes of the Pushover and ntfy HTTP APIs: real HTTP servers on 127.0.0.1 that record each
 * request exactly (method, path, headers, body) and answer as the test says: 200, 400 with
 * `errors` naming a field, 429 with X-Limit-App-* headers, 500, a connection reset, or a request
 * held open without an answer.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAnswer = 'ok' | 'bad-user' | 'quota' | 'server-error' | 'reset' | 'hang' | 'unauthorized';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: Record<string, unknown> | null;
}

/** Unix time the fake's monthly quota resets (in X-Limit-App-Reset). */
export const QUOTA_RESET = 1_767_225_600;

export interface FakeNotifyService {
  /** Base URL, ending with "/" (Pushover's API base is .../1/). */
  url: string;
  requests: RecordedRequest[];
  /** Answers for the next requests, in order; `ok` once they are used up (or `fallback`). */
  answers: FakeAnswer[];
  fallback: FakeAnswer;
  close(): Promise<void>;
}

export async function startFakeNotifyService(kind: 'pushover' | 'ntfy'): Promise<FakeNotifyService> {
  const held: ServerResponse[] = [];
  const fake: FakeNotifyService = {
    url: '',
    requests: [],
    answers: [],
    fallback: 'ok',
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> | null;
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        json = null;
      }
      fake.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body, json });
      answer(kind, fake.answers.shift() ?? fake.fallback, response, held);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  fake.url = kind === 'pushover' ? `http://127.0.0.1:${port}/1/` : `http://127.0.0.1:${port}`;
  return fake;
}

function answer(kind: 'pushover' | 'ntfy', what: FakeAnswer, response: ServerResponse, held: ServerResponse[]): void {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  switch (what) {
    case 'ok':
      return kind === 'pushover' ? json(200, { status: 1, request: 'req-1' }) : json(200, { id: 'msg1', event: 'message' });
    case 'bad-user':
      return kind === 'pushover'
        ? json(400, { user: 'invalid', errors: ['user identifier is not a valid user, group, or subscribed user key'], status: 0, request: 'req-2' })
        : json(400, { code: 40010, http: 400, error: 'invalid request' });
    case 'unauthorized':
      return json(kind === 'pushover' ? 400 : 403, kind === 'pushover' ? { token: 'invalid', errors: ['application token is invalid'], status: 0 } : { code: 40301, http: 403, error: 'forbidden' });
    case 'quota':
      return json(429, { status: 0, errors: ['application has exceeded its monthly limit'] }, { 'x-limit-app-limit': '10000', 'x-limit-app-remaining': '0', 'x-limit-app-reset': String(QUOTA_RESET) });
    case 'server-error':
      return json(500, { status: 0 });
    case 'reset':
      response.socket?.destroy();
      return;
    case 'hang':
      held.push(response);
      return;
  }
}
