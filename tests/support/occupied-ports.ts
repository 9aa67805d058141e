import { createServer, type Server } from 'node:http';

function listen(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** `count` consecutive ports on 127.0.0.1, each held by a real listener (another program using them). */
export async function occupiedRange(count: number): Promise<{ first: number; last: number; blockers: Server[]; release(): Promise<void> }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 40_000 + Math.floor(Math.random() * 20_000);
    const blockers: Server[] = [];
    for (let port = first; port < first + count; port++) {
      const server = await listen(port);
      if (!server) break;
      blockers.push(server);
    }
    if (blockers.length === count) {
      const release = async () => void (await Promise.all(blockers.filter((b) => b.listening).map(closeServer)));
      return { first, last: first + count - 1, blockers, release };
    }
    await Promise.all(blockers.map(closeServer));
  }
  throw new Error(`found no ${count} free consecutive ports`);
}
