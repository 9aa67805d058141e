/**
 * Proof that a listing by rank missed nothing while the library changed (README "A complete
 * listing"). Assets that did not change keep their order among themselves; changed ones come from
 * the change feed anyway. So two neighbouring pages cover everything between them when they share
 * one asset that did not change: whatever sits before it was on the first page, whatever after it
 * on the second, however far the ranks shifted between the two reads.
 */

/** The master record names one page held, in rank order, and where it started. */
export interface PageSeen {
  startRank: number;
  names: string[];
}

/** A hole in the chain of pages: after page `after` (-1 never occurs: page 0 starts at the top). */
export interface ListingGap {
  after: number;
  /** The rank to re-read from: that of the last unchanged asset before the hole, when it was read. */
  fromRank: number;
}

function lastStable(page: PageSeen, touched: ReadonlySet<string>): number {
  for (let i = page.names.length - 1; i >= 0; i--) if (!touched.has(page.names[i]!)) return page.startRank + i;
  return page.startRank;
}

/**
 * The holes in `pages` (ordered by rank, the last one possibly empty): neighbours sharing no
 * unchanged asset, and an end not proven by a short page.
 */
export function findGaps(pages: readonly PageSeen[], touched: ReadonlySet<string>, pageAssets: number): ListingGap[] {
  const gaps: ListingGap[] = [];
  const filled = pages.filter((page) => page.names.length > 0);
  for (let i = 0; i + 1 < filled.length; i++) {
    const before = new Set(filled[i]!.names.filter((name) => !touched.has(name)));
    if (!filled[i + 1]!.names.some((name) => before.has(name))) gaps.push({ after: pages.indexOf(filled[i]!), fromRank: lastStable(filled[i]!, touched) });
  }
  // The end is proven by a page holding fewer assets than asked for: nothing came after it then.
  const last = filled[filled.length - 1];
  if (last && last.names.length >= pageAssets) gaps.push({ after: pages.indexOf(last), fromRank: lastStable(last, touched) });
  return gaps;
}
