import type { RecordsResponse } from './responses/response-schemas.js';

/**
 * Assets asked for per page: 200 records (master + asset each), what Apple serves at most.
 * Pages start PAGE_STEP ranks apart, so neighbours share PAGE_ASSETS - PAGE_STEP assets: the
 * overlap that lets listing-check.ts prove no asset slipped between two pages while the library
 * changed (see src-main/sync/README.md "A complete listing").
 */
export const PAGE_ASSETS = 100;
export const PAGE_STEP = 95;
/**
 * Pages in flight at once per index. ips fires all pages of a library at once; 6 keeps a 100,000
 * photo listing near 7 s at 40 ms per request while staying far below what gets throttled.
 */
export const DEFAULT_LISTING_PARALLELISM = 6;

export interface RankedPage {
  startRank: number;
  page: RecordsResponse;
}

export function mastersOf(page: RecordsResponse): string[] {
  return page.records.filter((record) => record.recordType === 'CPLMaster').map((record) => record.recordName);
}

/**
 * Pages of one index in rank order, up to `parallelism` requests in flight. The first page is
 * read alone so that its sync token predates every other page. Ends with the first page without
 * masters; pages asked for beyond it are awaited and dropped.
 */
export async function* rankedPages(fetchPage: (startRank: number) => Promise<RecordsResponse>, parallelism: number): AsyncGenerator<RankedPage> {
  const inFlight: Array<{ startRank: number; page: Promise<RecordsResponse> }> = [];
  let nextRank = 0;
  const ask = () => {
    const startRank = nextRank;
    const page = fetchPage(startRank);
    // A page the consumer never asks for must not become an unhandled rejection.
    page.catch(() => undefined);
    inFlight.push({ startRank, page });
    nextRank += PAGE_STEP;
  };
  ask();
  try {
    for (;;) {
      const head = inFlight.shift()!;
      const page = await head.page;
      const ended = mastersOf(page).length === 0;
      if (!ended) {
        // A short page is the end as far as this page knows: no point asking beyond it.
        const short = mastersOf(page).length < PAGE_ASSETS;
        while (inFlight.length < Math.max(1, parallelism) && !(short && nextRank > head.startRank + PAGE_STEP)) ask();
      }
      yield { startRank: head.startRank, page };
      if (ended) return;
      if (inFlight.length === 0) ask();
    }
  } finally {
    await Promise.allSettled(inFlight.map((entry) => entry.page));
  }
}
