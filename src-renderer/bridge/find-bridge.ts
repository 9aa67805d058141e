import type { AppBridge } from '../../src-shared/contract.js';
import { httpBridge } from './http-bridge.js';

declare global {
  interface Window {
    /** Set by the Electron preload. */
    icloudPhotoSync?: AppBridge;
  }
}

/**
 * The bridge the page runs under: the Electron preload's, the local web server's (which marks the
 * page it serves), or null when opened without a service behind it.
 */
export function findBridge(): AppBridge | null {
  if (window.icloudPhotoSync) return window.icloudPhotoSync;
  if (document.querySelector('meta[name="icloud-photo-sync-bridge"][content="http"]')) return httpBridge();
  return null;
}
