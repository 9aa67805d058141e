/**
 * The AppBridge over a service in the same process (the daemon, tests, and the Electron main
 * process, whose IPC handlers forward to it). Commands go through the same parsing as over any wire.
 */
import type { AppBridge } from '../../src-shared/contract.js';
import { handleCommand } from './service-commands.js';
import type { SyncService } from './sync-service.js';

export function serviceBridge(service: SyncService): AppBridge {
  return {
    getSnapshot: () => Promise.resolve(service.snapshot()),
    onSnapshot: (listener) => service.onEvent((event) => event.type === 'snapshot' && listener(event.snapshot)),
    onEvent: (listener) => service.onEvent(listener),
    send: (command) => handleCommand(service, command) as never,
    getThumbnail: (assetId) => service.thumbnail(assetId),
  };
}
