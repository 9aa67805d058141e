import type { AppBridge } from '../../src-shared/contract.js';

declare global {
  interface Window {
    /** Set by the Electron preload. */
    icloudPhotoSync?: AppBridge;
  }
}

/** The bridge the page runs under, or null when opened without an engine behind it. */
export function findBridge(): AppBridge | null {
  return window.icloudPhotoSync ?? null;
}
