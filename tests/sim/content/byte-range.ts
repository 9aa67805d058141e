/** A satisfiable byte range [start, end) of a resource, or why the Range header cannot be served. */
export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * One `bytes=` range as clients resume with (`N-`, `N-M`, `-K`). Anything else (several ranges,
 * other units, garbage) is ignored and the whole body is sent, as RFC 9110 allows.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  const match = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(first);
  const end = last === '' ? size : Math.min(size, Number(last) + 1);
  if (start >= size || end <= start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}
