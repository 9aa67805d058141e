/**
 * The AppBridge of the local web page: commands as POST /api/command (same origin, with the custom
 * header the server requires), the snapshot from /api/snapshot, events from one EventSource,
 * thumbnails from /api/thumbnail.
 * Every answer is parsed with the contract's schemas before a view sees it.
 */
import { appEventSchema, appSnapshotSchema, commandReplySchema, THUMBNAIL_NOT_AVAILABLE, type AppBridge, type AppEvent, type AppSnapshot, type ThumbnailReply } from '../../src-shared/contract.js';

/** Must match CSRF_HEADER in src-main/web/web-guard.ts. */
const PAGE_HEADER = { 'x-icloud-photo-sync': '1' };

export function httpBridge(base = ''): AppBridge {
  const listeners = new Set<(event: AppEvent) => void>();
  let source: EventSource | null = null;

  const subscribe = (listener: (event: AppEvent) => void) => {
    listeners.add(listener);
    if (!source) {
      source = new EventSource(`${base}/api/events`);
      source.onmessage = (message: MessageEvent<string>) => {
        const parsed = appEventSchema.safeParse(JSON.parse(message.data));
        if (parsed.success) for (const each of listeners) each(parsed.data);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        source?.close();
        source = null;
      }
    };
  };

  return {
    async getSnapshot(): Promise<AppSnapshot> {
      const response = await fetch(`${base}/api/snapshot`, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(await refusal(response));
      return appSnapshotSchema.parse(await response.json());
    },
    onSnapshot: (listener) => subscribe((event) => event.type === 'snapshot' && listener(event.snapshot)),
    onEvent: subscribe,
    async send(command) {
      const response = await fetch(`${base}/api/command`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...PAGE_HEADER },
        body: JSON.stringify(command),
      });
      if (!response.ok) throw new Error(await refusal(response));
      return commandReplySchema(command.type).parse(await response.json()) as never;
    },
    async getThumbnail(assetId): Promise<ThumbnailReply> {
      const response = await fetch(`${base}/api/thumbnail?asset=${encodeURIComponent(assetId)}`, { credentials: 'same-origin' });
      if (response.status === 404) return { available: false, message: THUMBNAIL_NOT_AVAILABLE };
      if (!response.ok) throw new Error(await refusal(response));
      const contentType = response.headers.get('content-type');
      if (contentType !== 'image/jpeg' && contentType !== 'image/png') return { available: false, message: THUMBNAIL_NOT_AVAILABLE };
      return { available: true, contentType, bytes: new Uint8Array(await response.arrayBuffer()) };
    },
  };
}

/** The server's sentence for a refused request (session ended, too many codes). */
async function refusal(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: fall through to the status.
  }
  return `The page's request was refused (${response.status}).`;
}
