/**
 * The one contract between the sync service and any view. The Electron preload implements
 * `AppBridge` over IPC, the local web page over HTTP, tests and the daemon in-process. Every value
 * crossing a boundary is parsed with the schemas of snapshot.ts, commands.ts and events.ts first.
 */
import type { AppCommand, AppCommandType, CommandReply } from './commands.js';
import type { AppEvent } from './events.js';
import type { AppSnapshot } from './snapshot.js';
import type { ThumbnailReply } from './thumbnails.js';

export * from './commands.js';
export * from './events.js';
export * from './snapshot.js';
export * from './thumbnails.js';

/** What a view may ask of the service. Listeners return a function that unsubscribes. */
export interface AppBridge {
  getSnapshot(): Promise<AppSnapshot>;
  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void;
  /** Every event, snapshot changes included. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** One command; never rejects for a refused command (the reply says why), only for a broken bridge. */
  send<C extends AppCommand>(command: C): Promise<CommandReply<C['type']>>;
  /** A recent arrival's thumbnail by its assetId (Arrival.assetId); never rejects for a missing one. */
  getThumbnail(assetId: string): Promise<ThumbnailReply>;
}

export type { AppCommandType };
