/** Thumbnails reach the page as bytes through the bridge; a data: URL shows them under the page's CSP (img-src 'self' data:). */
import { useEffect, useState } from 'react';
import type { AppBridge, Arrival } from '../src-shared/contract.js';

function toDataUrl(contentType: string, bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and arguments are limited.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${contentType};base64,${btoa(binary)}`;
}

/** The image of one arrival once the service has it (thumbnail 'ready'); null before, or when there is none. */
export function useThumbnail(bridge: AppBridge, assetId: string, state: Arrival['thumbnail']): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (state !== 'ready') return;
    let current = true;
    bridge
      .getThumbnail(assetId)
      .then((reply) => current && setUrl(reply.available ? toDataUrl(reply.contentType, reply.bytes) : null))
      // A thumbnail that does not come shows the placeholder; nothing to tell the person.
      .catch(() => current && setUrl(null));
    return () => {
      current = false;
    };
  }, [bridge, assetId, state]);
  return url;
}
