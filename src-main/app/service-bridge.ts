/**
 * The AppBridge over a service in the same process (the daemon, tests, and the Electron main
 * process, whose IPC handlers forward to it). Commands go through the same parsing as over any wire.
 */
import type { AppBridge } from '../../src-shared/contract.js';
import type { SignInSource } from '../icloud/auth/sign-in-audit.js';
import { handleCommand } from './service-commands.js';
import type { SyncService } from './sync-service.js';

/** `source`: the view this bridge serves, for the sign-in audit trail (default: the service's host). */
export function serviceBridge(service: SyncService, source?: SignInSource): AppBridge {
  return {
    getSnapshot: () => Promise.resolve(service.snapshot()),
    onSnapshot: (listener) => service.onEvent((event) => event.type === 'snapshot' && listener(event.snapshot)),
    onEvent: (listener) => service.onEvent(listener),
    send: (command) => handleCommand(service, command, source) as never,
    getThumbnail: (assetId) => service.thumbnail(assetId),
  };
}
