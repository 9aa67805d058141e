import { describe, expect, it } from 'vitest';
import { PAGE_ASSETS, PAGE_STEP, rankedPages } from '../../src-main/icloud/photos/ranked-pages.js';
import type { RecordsResponse } from '../../src-main/icloud/photos/responses/response-schemas.js';

/**
 * An index of `total` assets answered after a delay that varies per page (later pages sometimes first).
 * The asset at rank `erroredRank` comes as a record sent with its own error (Apple: ACCESS_DENIED).
 */
function index(total: number, erroredRank = -1) {
  let inFlight = 0;
  let maxInFlight = 0;
  const asked: number[] = [];
  const fetchPage = async (startRank: number): Promise<RecordsResponse> => {
    asked.push(startRank);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, (startRank / PAGE_STEP) % 3));
    inFlight -= 1;
    const count = Math.max(0, Math.min(PAGE_ASSETS, total - startRank));
    const records = Array.from({ length: count }, (_, i) =>
      startRank + i === erroredRank
        ? { recordName: `m${startRank + i}`, serverErrorCode: 'ACCESS_DENIED' }
        : { recordName: `m${startRank + i}`, recordType: 'CPLMaster' },
    );
    return { records } as RecordsResponse;
  };
  return { fetchPage, asked, maxInFlight: () => maxInFlight };
}

describe('ranked pages: parallel, in rank order, capped', () => {
  it('hands pages on in rank order, never more than the cap in flight, and stops after the end', async () => {
    const source = index(2_000);
    const starts: number[] = [];
    for await (const { startRank } of rankedPages(source.fetchPage, 6)) starts.push(startRank);
    const pagesWithAssets = Math.ceil(2_000 / PAGE_STEP);
    expect(starts).toEqual(Array.from({ length: pagesWithAssets + 1 }, (_, i) => i * PAGE_STEP).slice(0, starts.length));
    expect(starts.length).toBeGreaterThanOrEqual(pagesWithAssets);
    expect(source.maxInFlight()).toBeLessThanOrEqual(6);
    expect(source.maxInFlight()).toBeGreaterThan(1);
    // The first page is asked for first; beyond the end, at most what was already in flight.
    expect(source.asked[0]).toBe(0);
    expect(Math.max(...source.asked)).toBeLessThanOrEqual((pagesWithAssets + 6) * PAGE_STEP);
  });

  it('a full page with a record sent with its own error is no end: paging stays parallel', async () => {
    // Issue 10's bench: one such record among the first 100 ranks held a 100,000-photo listing to one page in flight.
    const source = index(3_000, 27);
    let pages = 0;
    for await (const _page of rankedPages(source.fetchPage, 6)) pages += 1;
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(3_000 / PAGE_STEP));
    expect(source.maxInFlight()).toBeGreaterThan(1);
  });

  it('one at a time when the cap is 1', async () => {
    const source = index(500);
    for await (const _page of rankedPages(source.fetchPage, 1)) void _page;
    expect(source.maxInFlight()).toBe(1);
  });
});
