import type { AppBridge } from '../../src-shared/contract.js';
import { httpBridge } from './http-bridge.js';

declare global {
  interface Window {
    /** Set by the Electron preload. */
    icloudPhotoSync?: AppBridge;
  }
}

export interface PageHost {
  bridge: AppBridge | null;
}

/**
 * The bridge the page runs under: the Electron preload's, the local web server's (which marks the
 * page it serves), or none when opened without a service behind it.
 */
export function findHost(): PageHost {
  if (window.icloudPhotoSync) return { bridge: window.icloudPhotoSync };
  if (document.querySelector('meta[name="icloud-photo-sync-bridge"][content="http"]')) {
    return { bridge: httpBridge() };
  }
  return { bridge: null };
}
