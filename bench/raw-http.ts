import { Agent, request } from 'node:http';
import { benchLookup } from './signed-in-client.js';

/** The baselines: plain node:http with a keep-alive agent, the simulator's DNS and nothing else. */
export function rawAgent(): Agent {
  return new Agent({ keepAlive: true, lookup: benchLookup });
}

/** POSTs a JSON body and only JSON.parses the answer. */
export function rawPostJson(agent: Agent, url: string, body: string, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`raw POST answered ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work` over `items` with at most `parallel` in flight (the engine's default is 6). */
export async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}
