/**
 * One change feed per zone. Every record version gets the next sequence number of its zone; the
 * feed is an array indexed by sequence number holding a compact code (id * 8 + type), so 100,000
 * assets cost about a megabyte. A record is yielded at its latest sequence number only.
 */

/**
 * Record types a Photos zone's feed carries besides CPLAsset/CPLMaster/CPLAlbum, interleaved with
 * them (kei, docs/synctoken-reference.md "Record Types"; `desiredRecordTypes` does not keep them out).
 */
export type OtherRecordType =
  | 'CPLLibraryInfo'
  | 'CPLFaceCrop'
  | 'CPLPerson'
  | 'CPLMemory'
  | 'CPLSuggestion'
  | 'CPLSharedLibraryQuota'
  | 'CPLContainerRelation';

export type FeedEntry =
  | { type: 'master' | 'asset'; serial: number }
  /** An earlier version of some record, superseded since: it takes a place in the feed and yields nothing. */
  | { type: 'stale' }
  /**
   * A record of the library's generated past (history.ts), named by a number: `variant` picks which
   * record of photo (or purged photo) `serial` it is.
   */
  | { type: 'history'; serial: number; variant: number }
  | { type: 'album'; index: number }
  /** A hard-deleted (purged) record: only its name is left. */
  | { type: 'purged'; recordName: string }
  /** A record of a type a downloader does not use. */
  | { type: 'other'; recordType: OtherRecordType; recordName: string };

const TYPE_CODES = ['master', 'asset', 'album', 'purged', 'other', 'stale', 'history'] as const;
/** Variants per serial of a history entry. */
export const HISTORY_VARIANTS = 8;
const TYPE_SPACE = 8;

export class ZoneFeed {
  private readonly codes: number[] = [];
  /** Purged and other records: name (and type) by side index. */
  private readonly named: Array<{ recordName: string; recordType?: OtherRecordType }> = [];
  /** Latest sequence number of each named record, so a record appears once, at its latest version. */
  private readonly latestNamed = new Map<string, number>();
  /** Database change counter value at this zone's last change. */
  lastDatabaseSeq = 0;

  constructor(readonly zoneName: string) {}

  /** The current sequence number (the zone's sync point). */
  get seq(): number {
    return this.codes.length;
  }

  /** Appends a record version; returns its sequence number. */
  append(entry: FeedEntry): number {
    if (entry.type === 'purged' || entry.type === 'other') {
      this.codes.push(this.named.length * TYPE_SPACE + TYPE_CODES.indexOf(entry.type));
      this.named.push(entry.type === 'other' ? { recordName: entry.recordName, recordType: entry.recordType } : { recordName: entry.recordName });
      this.latestNamed.set(entry.recordName, this.codes.length);
    } else if (entry.type === 'stale') {
      this.codes.push(TYPE_CODES.indexOf('stale'));
    } else if (entry.type === 'history') {
      this.codes.push((entry.serial * HISTORY_VARIANTS + entry.variant) * TYPE_SPACE + TYPE_CODES.indexOf('history'));
    } else {
      const id = entry.type === 'album' ? entry.index : entry.serial;
      this.codes.push(id * TYPE_SPACE + TYPE_CODES.indexOf(entry.type));
    }
    return this.codes.length;
  }

  entryAt(seq: number): FeedEntry | undefined {
    const code = this.codes[seq - 1];
    if (code === undefined) return undefined;
    const type = TYPE_CODES[code % TYPE_SPACE];
    const id = Math.floor(code / TYPE_SPACE);
    if (type === 'purged' || type === 'other') {
      const named = this.named[id];
      // A later version of the same named record supersedes this one.
      if (!named || this.latestNamed.get(named.recordName) !== seq) return undefined;
      return named.recordType ? { type: 'other', recordType: named.recordType, recordName: named.recordName } : { type: 'purged', recordName: named.recordName };
    }
    if (type === 'stale') return undefined;
    if (type === 'history') return { type, serial: Math.floor(id / HISTORY_VARIANTS), variant: id % HISTORY_VARIANTS };
    if (type === 'album') return { type, index: id };
    return { type: type ?? 'master', serial: id };
  }

  /**
   * One page: the next `limit` places of the feed after `fromSeq`, and of those the entries
   * `resolve` keeps (it drops superseded versions). Like Apple's, a page can hold fewer records
   * than asked for, or none while more is coming, where the history holds superseded versions.
   * `nextSeq` is where the next page starts.
   */
  collect<T>(
    fromSeq: number,
    limit: number,
    resolve: (entry: FeedEntry, seq: number) => T | undefined,
  ): { items: T[]; nextSeq: number } {
    const items: T[] = [];
    let seq = fromSeq;
    while (seq < this.seq && seq - fromSeq < limit) {
      seq++;
      const entry = this.entryAt(seq);
      const item = entry && resolve(entry, seq);
      if (item !== undefined) items.push(item);
    }
    return { items, nextSeq: seq };
  }
}
