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
 * Pages in flight at once per index (at 40 ms a request, 1,000 pages at 6 in flight are ~7 s of
 * latency). What public clients run against Apple: icloudpd and pyicloud one page at a time; kei
 * (rhoopr/kei src/icloud/photos/album.rs, `concurrency * 2`) up to twice its download threads
 * (default 10), so 20 pagers; ips every page of a library at once. Nobody has published a measured
 * throttling threshold, so 6 (our download concurrency) is below kei's default, not a proven limit.
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
 * How many library items a page held. The clients count CPLMaster records (spec 4.6); a page can
 * also carry an asset whose master is not on it (or whose master came as an error record), so the
 * larger of the master and asset counts is taken: a page with assets only is no end. A record sent
 * with its own error (ACCESS_DENIED, ...) still holds a rank but cannot be told master from asset:
 * it is counted on top. Without it, one such record made a full page look short (the end), and
 * a 100,000-photo listing went on one page in flight (issue 10's bench); counting it at worst asks
 * for one empty page more at the end.
 */
export function pageItems(page: RecordsResponse): number {
  const masters = mastersOf(page).length;
  const assets = page.records.filter((record) => record.recordType === 'CPLAsset').length;
  const withOwnError = page.records.filter((record) => record.serverErrorCode !== undefined).length;
  return Math.max(masters, assets) + withOwnError;
}

/**
 * Pages of one index in rank order. Up to `parallelism` requests are in flight; a new one goes out
 * as soon as any answers (not only the oldest), with at most 2 x `parallelism` pages read ahead of
 * the consumer. The first page is read alone so that its sync token predates every other page.
 * Ends with the first page without items; nothing is asked for beyond a short page.
 */
export async function* rankedPages(fetchPage: (startRank: number) => Promise<RecordsResponse>, parallelism: number): AsyncGenerator<RankedPage> {
  const width = Math.max(1, parallelism);
  const pages = new Map<number, Promise<RecordsResponse>>();
  let head = 0;
  let next = 0;
  let inFlight = 0;
  /** No page beyond this number is asked for: a short or empty page, or a failure, was seen there. */
  let last = Infinity;
  const fill = () => {
    while (inFlight < width && next <= last && next - head < 2 * width) ask(next++);
  };
  const ask = (number: number) => {
    inFlight += 1;
    const page = fetchPage(number * PAGE_STEP);
    pages.set(number, page);
    page.then(
      (answer) => {
        inFlight -= 1;
        const items = pageItems(answer);
        if (items < PAGE_ASSETS) last = Math.min(last, number + (items === 0 ? 0 : 1));
        fill();
      },
      () => {
        inFlight -= 1;
        last = Math.min(last, number);
      },
    );
  };
  ask(next++);
  try {
    for (;;) {
      const page = await pages.get(head)!;
      pages.delete(head);
      const startRank = head * PAGE_STEP;
      head += 1;
      const ended = pageItems(page) === 0;
      if (!ended) fill();
      yield { startRank, page };
      if (ended) return;
      if (!pages.has(head)) ask(next++);
    }
  } finally {
    await Promise.allSettled(pages.values());
  }
}
