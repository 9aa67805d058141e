import { generateAlbums, GENERATED_ALBUM_COUNT } from './albums.js';
import { canBeDuplicated, changeTag, duplicateSourceOf, generatedFault, generatedState, makeDuplicate, type AssetState } from './asset-state.js';
import { ZoneFeed, type OtherRecordType } from './change-log.js';
import { hash32 } from './hash.js';
import { beforePhoto, besidePhoto, BURST_SHARE, burstImported, burstPurged } from './history.js';
import { assetUuid, decodeAssetUuid, decodeResourceChecksum, ownerRecordNameFor, zoneUuid } from './ids.js';
import { ordinaryFilename } from './names.js';
import { adjustmentTypeOf, DEFAULT_SIZES, resourcesOf } from './resources.js';
import { ViewCache } from './views.js';
import type { AssetRef, SimAlbum, SimAsset, SimLibraryOptions, SimSizes } from './types.js';

export type ZoneKey = AssetState['zone'];

/** Record types a change to an asset also touches (kei's record type table). */
const SIDE_RECORDS: readonly OtherRecordType[] = ['CPLFaceCrop', 'CPLPerson', 'CPLMemory', 'CPLSuggestion'];
const SHARED_SIDE_RECORDS: readonly OtherRecordType[] = ['CPLSharedLibraryQuota', 'CPLFaceCrop'];

/** The library's state, shared by the read side (library.ts) and the test helpers (mutations.ts). */
export class LibraryCore {
  readonly seed: number;
  readonly sizes: SimSizes;
  readonly now: () => number;
  readonly states: AssetState[] = [];
  readonly albums: SimAlbum[];
  readonly views: ViewCache;
  readonly feeds: Record<ZoneKey, ZoneFeed>;
  readonly ownerRecordName: string;
  readonly zoneNames: Record<ZoneKey, string>;
  /** Duplicates by the serial that owns their master (few: kept as a small map). */
  readonly duplicates = new Map<number, number[]>();
  /** Counts every change anywhere: the database change feed. */
  databaseSeq = 1;
  /** Photos imported and purged in bursts so far (history.ts): names their tombstones. */
  private bursts = 0;
  /**
   * toAsset's answers by serial, dropped with the views on every change: a page of 100 assets
   * then costs no resource generation, so the simulator's CPU does not set the listing's speed.
   */
  private readonly assetCache = new Map<number, SimAsset>();
  /** Moves on whenever the cached views and assets are dropped (every change). */
  generation = 0;

  constructor(options: SimLibraryOptions) {
    if (!Number.isInteger(options.assets) || options.assets < 0) throw new RangeError('assets must be >= 0');
    this.seed = options.seed >>> 0;
    this.sizes = { ...DEFAULT_SIZES, ...options.sizes };
    this.now = options.now ?? Date.now;
    this.ownerRecordName = ownerRecordNameFor(this.seed);
    this.zoneNames = { primary: 'PrimarySync', shared: `SharedSync-${zoneUuid(this.seed)}` };
    this.feeds = { primary: new ZoneFeed(this.zoneNames.primary), shared: new ZoneFeed(this.zoneNames.shared) };
    this.albums = generateAlbums(this.seed);
    this.views = new ViewCache(this.seed, this.states, options.assets, () => {
      this.assetCache.clear();
      this.generation++;
    });
    this.albums.forEach((_, index) => this.feeds.primary.append({ type: 'album', index }));
    const shared = options.sharedAssets ?? 0;
    const history = options.changeHistory !== 'minimal';
    const burst = history ? Math.round(options.assets * BURST_SHARE) : 0;
    const burstFrom = this.bursts;
    for (let serial = 0; serial < options.assets + shared; serial++) {
      const zone: ZoneKey = serial < options.assets ? 'primary' : 'shared';
      if (serial === Math.floor(options.assets / 2)) this.importBurst('primary', burst);
      if (history) beforePhoto().forEach((entry) => this.feeds[zone].append(entry));
      const state = generatedState(this.seed, serial, zone, options.assets);
      const zoneIndex = zone === 'primary' ? serial : serial - options.assets;
      Object.assign(state, generatedFault(serial, zone, zoneIndex, zone === 'primary' ? options.assets : shared));
      const source = duplicateSourceOf(this.seed, serial);
      const sourceState = source === undefined ? undefined : this.states[source];
      if (canBeDuplicated(sourceState, state)) {
        makeDuplicate(state, sourceState);
        this.duplicates.set(sourceState.serial, [...(this.duplicates.get(sourceState.serial) ?? []), serial]);
      }
      // A Duplicate's master is already in the feed, once, with its source.
      if (state.masterSerial === serial) state.masterSeq = this.feeds[zone].append({ type: 'master', serial });
      if (history) besidePhoto(this.seed, serial).forEach((entry) => this.feeds[zone].append(entry));
      state.assetSeq = this.feeds[zone].append({ type: 'asset', serial });
      this.states.push(state);
    }
    this.purgeBurst('primary', burstFrom, burst);
    this.feeds.primary.lastDatabaseSeq = 1;
    this.feeds.shared.lastDatabaseSeq = 1;
  }

  /** Photos imported into a zone (history.ts): their places in the feed, superseded by their purge. */
  importBurst(zone: ZoneKey, count: number): number {
    const first = this.bursts;
    for (let i = 0; i < count; i++) burstImported().forEach((entry) => this.feeds[zone].append(entry));
    this.bursts += count;
    return first;
  }

  /** The purge of burst photos `first` .. `first + count - 1`: their tombstones. */
  purgeBurst(zone: ZoneKey, first: number, count: number): void {
    for (let i = first; i < first + count; i++) burstPurged(i).forEach((entry) => this.feeds[zone].append(entry));
  }

  zoneKeyOf(zoneName: string): ZoneKey | undefined {
    if (zoneName === this.zoneNames.primary) return 'primary';
    return zoneName === this.zoneNames.shared ? 'shared' : undefined;
  }

  /** Serial of an asset reference, or undefined (also for purged assets). */
  serialOf(ref: AssetRef): number | undefined {
    let serial: number | undefined;
    if (typeof ref === 'number') serial = ref;
    else if (typeof ref === 'object') serial = ref.serial;
    else serial = decodeAssetUuid(this.seed, ref) ?? this.serialOfMaster(ref);
    const state = serial === undefined ? undefined : this.states[serial];
    return state && !state.purged ? state.serial : undefined;
  }

  private serialOfMaster(recordName: string): number | undefined {
    const key = decodeResourceChecksum(this.seed, recordName);
    return key && key.slot === 0 && key.version === 0 ? key.serial : undefined;
  }

  stateOf(ref: AssetRef): AssetState {
    const serial = this.serialOf(ref);
    const state = serial === undefined ? undefined : this.states[serial];
    if (!state) throw new Error(`the simulated library has no asset ${typeof ref === 'object' ? ref.id : ref}`);
    return state;
  }

  /** The state that owns an asset's master (itself, or a Duplicate's source). */
  masterStateOf(state: AssetState): AssetState {
    return this.states[state.masterSerial] ?? state;
  }

  /** The assets (not purged) whose CPLMaster is the one of `masterSerial`. */
  assetsOnMaster(masterSerial: number): AssetState[] {
    const serials = [masterSerial, ...(this.duplicates.get(masterSerial) ?? [])];
    return serials.flatMap((serial) => {
      const state = this.states[serial];
      return state && !state.purged ? [state] : [];
    });
  }

  /** The public view of an asset, derived from its state. */
  /** The asset as the services describe it: a fresh copy each call (callers may change it), built once per change. */
  toAsset(state: AssetState): SimAsset {
    let asset = this.assetCache.get(state.serial);
    if (!asset) {
      asset = this.buildAsset(state);
      this.assetCache.set(state.serial, asset);
    }
    return { ...asset, resources: [...asset.resources], albumIds: [...asset.albumIds] };
  }

  private buildAsset(state: AssetState): SimAsset {
    const seed = this.seed;
    const masterState = this.masterStateOf(state);
    const resources = resourcesOf(seed, masterState, state, this.sizes);
    const original = resources[0];
    if (!original) throw new Error('an asset without an original');
    const albumIds: string[] = [];
    for (let index = 0; index < GENERATED_ALBUM_COUNT; index++) {
      const album = this.albums[index + 2];
      if (album && this.views.isInAlbum(state.serial, index)) albumIds.push(album.id);
    }
    return {
      serial: state.serial,
      id: assetUuid(seed, state.serial),
      masterId: original.fileChecksum,
      duplicateOf: masterState === state ? undefined : masterState.serial,
      zoneName: this.zoneNames[state.zone],
      filename: masterState.filename === undefined ? ordinaryFilename(seed, masterState.serial, masterState.kind) : masterState.filename,
      kind: state.kind,
      itemType: original.fileType,
      isLive: state.live,
      isRawPair: state.rawPair !== 'none',
      assetDate: state.assetDate,
      addedDate: state.addedDate,
      timeZoneOffset: state.timeZoneOffset,
      isFavorite: state.favorite,
      isHidden: state.hidden,
      isDeleted: state.deletedAt !== undefined,
      deletedAt: state.deletedAt,
      adjustmentType: adjustmentTypeOf(state),
      duration: state.kind === 'mov' ? 2 + (state.serial % 117) : undefined,
      resources,
      masterChangeTag: changeTag(seed, masterState.serial, 0x3a, masterState.masterRevision),
      masterDeleted: this.assetsOnMaster(masterState.serial).every((s) => s.deletedAt !== undefined),
      assetChangeTag: changeTag(seed, state.serial, 0x3b, state.assetRevision),
      modifiedAt: state.modifiedAt,
      albumIds,
      accessDenied: state.accessDenied,
      listingFault: state.listingFault,
    };
  }

  /**
   * Records a new version of the master and/or asset record in the zone's feed. Like Photos on a
   * device, a changed asset also touches records a downloader does not use (faces, people,
   * memories, suggestions; quotas in a Shared Library), interleaved with the asset's own.
   */
  touch(state: AssetState, records: { master?: boolean; asset?: boolean }): void {
    const feed = this.feeds[state.zone];
    if (records.master) {
      // A Duplicate shares its source's master: that one record changes.
      const owner = this.masterStateOf(state);
      owner.masterRevision++;
      owner.masterSeq = feed.append({ type: 'master', serial: owner.serial });
    }
    if (records.asset) {
      const roll = hash32(this.seed, state.serial, state.assetRevision, 0x07e4);
      const other = state.zone === 'shared' ? SHARED_SIDE_RECORDS[roll % SHARED_SIDE_RECORDS.length] : SIDE_RECORDS[roll % SIDE_RECORDS.length];
      if (other) feed.append({ type: 'other', recordType: other, recordName: this.sideRecordName(other, state.serial) });
      // Photos recomputes face crops: the one of the previous revision is hard-deleted (a tombstone).
      if (state.assetRevision > 0) feed.append({ type: 'purged', recordName: `${this.sideRecordName('CPLFaceCrop', state.serial)}-r${state.assetRevision}` });
      state.assetRevision++;
      state.assetSeq = feed.append({ type: 'asset', serial: state.serial });
    }
    state.modifiedAt = this.now();
    this.changed(state.zone);
  }

  /**
   * A record name for a record of another type tied to an asset (a face crop of it, ...). Apple's
   * are UUIDs; these need only be stable and distinct.
   */
  sideRecordName(recordType: OtherRecordType, serial: number): string {
    const hex = [hash32(this.seed, serial, recordType.length, 1), hash32(this.seed, serial, recordType.length, 2)]
      .map((n) => n.toString(16).toUpperCase().padStart(8, '0'))
      .join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${recordType.slice(3, 6).toUpperCase()}-${assetUuid(this.seed, serial).slice(-12)}`;
  }

  /**
   * Every change: drop cached views and advance the database feed. CPLLibraryInfo (library-wide
   * counts) is updated on every change (kei's recorded feed), so it follows each one.
   */
  changed(zone: ZoneKey): void {
    this.views.invalidate();
    this.databaseSeq++;
    this.feeds[zone].append({ type: 'other', recordType: 'CPLLibraryInfo', recordName: 'LibraryInfo' });
    this.feeds[zone].lastDatabaseSeq = this.databaseSeq;
  }
}
