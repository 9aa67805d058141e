/**
 * One change feed per zone. Every record version gets the next sequence number of its zone; the
 * feed is an array indexed by sequence number holding a compact code (serial * 4 + type), so
 * 100,000 assets cost about a megabyte. A record is yielded at its latest sequence number only.
 */

export type FeedEntry =
  | { type: 'master' | 'asset'; serial: number }
  | { type: 'album'; index: number }
  | { type: 'purged'; recordName: string };

const TYPE_CODES = ['master', 'asset', 'album', 'purged'] as const;

export class ZoneFeed {
  private readonly codes: number[] = [];
  private readonly tombstones: string[] = [];
  /** Database change counter value at this zone's last change. */
  lastDatabaseSeq = 0;

  constructor(readonly zoneName: string) {}

  /** The current sequence number (the zone's sync point). */
  get seq(): number {
    return this.codes.length;
  }

  /** Appends a record version; returns its sequence number. */
  append(entry: FeedEntry): number {
    if (entry.type === 'purged') {
      this.codes.push(this.tombstones.length * 4 + 3);
      this.tombstones.push(entry.recordName);
    } else {
      const id = entry.type === 'album' ? entry.index : entry.serial;
      this.codes.push(id * 4 + TYPE_CODES.indexOf(entry.type));
    }
    return this.codes.length;
  }

  entryAt(seq: number): FeedEntry | undefined {
    const code = this.codes[seq - 1];
    if (code === undefined) return undefined;
    const type = TYPE_CODES[code % 4];
    const id = Math.floor(code / 4);
    if (type === 'purged') return { type, recordName: this.tombstones[id] ?? '' };
    if (type === 'album') return { type, index: id };
    return { type: type ?? 'master', serial: id };
  }

  /**
   * Entries after `fromSeq`, at most `limit` that `resolve` keeps (it drops superseded versions).
   * `nextSeq` is where the next page starts.
   */
  collect<T>(
    fromSeq: number,
    limit: number,
    resolve: (entry: FeedEntry, seq: number) => T | undefined,
  ): { items: T[]; nextSeq: number } {
    const items: T[] = [];
    let seq = fromSeq;
    while (seq < this.seq && items.length < limit) {
      seq++;
      const entry = this.entryAt(seq);
      const item = entry && resolve(entry, seq);
      if (item !== undefined) items.push(item);
    }
    return { items, nextSeq: seq };
  }
}
