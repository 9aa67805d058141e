import { describe, expect, it } from 'vitest';
import { findGaps, type PageSeen } from '../../src-main/icloud/photos/listing-check.js';

const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `a${from + i}`);
const page = (startRank: number, from: number, to: number): PageSeen => ({ startRank, names: names(from, to) });

describe('listing check: neighbouring pages must share an asset that did not change', () => {
  it('overlapping pages and a short last page prove the listing', () => {
    const pages = [page(0, 0, 10), page(8, 8, 18), page(16, 16, 20), page(24, 0, 0)];
    expect(findGaps(pages, new Set(), 10)).toEqual([]);
  });

  it('a hole appears when the only shared assets changed, re-read from the last unchanged one', () => {
    // a0..a2 left after page 0 was read: page 1 (startRank 8) now starts at a11, skipping a10.
    const pages = [page(0, 0, 10), page(8, 11, 20)];
    expect(findGaps(pages, new Set(), 10)).toEqual([{ after: 0, fromRank: 9 }]);
    const overlapTouched = [page(0, 0, 10), page(8, 8, 18), page(16, 16, 20)];
    expect(findGaps(overlapTouched, new Set(['a8', 'a9']), 10)).toEqual([{ after: 0, fromRank: 7 }]);
  });

  it('a full last page followed by an empty one does not prove the end', () => {
    const pages = [page(0, 0, 10), page(8, 8, 18), page(16, 0, 0)];
    expect(findGaps(pages, new Set(), 10)).toEqual([{ after: 1, fromRank: 17 }]);
  });
});
