import { CkFailure } from './wire.js';

/** Apple caps a page at about 200 records. */
export const MAX_PAGE_RECORDS = 200;

/** An opaque page cursor: the next position, bound to the record type it continues. */
export function encodeMarker(recordType: string, position: number): string {
  return Buffer.from(JSON.stringify({ q: recordType, r: position })).toString('base64');
}

export function decodeMarker(recordType: string, marker: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { r?: unknown; q?: unknown };
    if (parsed.q === recordType && typeof parsed.r === 'number' && Number.isInteger(parsed.r) && parsed.r >= 0) return parsed.r;
  } catch {
    // fall through to the refusal
  }
  throw new CkFailure(400, 'BAD_REQUEST', 'Invalid continuationMarker');
}

/** resultsLimit, capped. */
export function pageLimit(resultsLimit: number | undefined): number {
  return Math.min(resultsLimit ?? MAX_PAGE_RECORDS, MAX_PAGE_RECORDS);
}
