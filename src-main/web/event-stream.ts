/** The service's events as Server-Sent Events: the current snapshot first, then every event. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppBridge } from '../../src-shared/contract.js';
import { securityHeaders } from './http-replies.js';

/** A comment line now and then keeps proxies and idle timers from closing the stream. */
const HEARTBEAT_MS = 25_000;

export async function openEventStream(request: IncomingMessage, response: ServerResponse, bridge: AppBridge, open: Set<ServerResponse>): Promise<void> {
  response.writeHead(200, { ...securityHeaders(), 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
  const write = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  write({ type: 'snapshot', snapshot: await bridge.getSnapshot() });
  const unsubscribe = bridge.onEvent(write);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  open.add(response);
  const end = () => {
    clearInterval(heartbeat);
    unsubscribe();
    open.delete(response);
  };
  request.on('close', end);
  response.on('close', end);
}
