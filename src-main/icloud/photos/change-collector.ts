import { masterNameOf } from './asset-mapper.js';
import type { RecordPair } from './record-pairer.js';
import { readFlag } from './responses/field-readers.js';
import type { CloudKitRecord } from './responses/record-schema.js';

export interface CollectedChanges {
  /** Changed assets whose master came in the feed too. */
  pairs: RecordPair[];
  /** Changed assets whose master did not change (it must be looked up). */
  assetsWithoutMaster: CloudKitRecord[];
  /** ICloudAsset ids (master names) that left the listing, plus purged record names. */
  removedIds: string[];
}

/**
 * Folds one zone's change records, in feed order, into their final state. Records of all types
 * arrive interleaved (spec 4.12); only CPLAsset/CPLMaster matter, and a later version of a
 * record replaces an earlier one.
 */
export class ChangeCollector {
  private readonly assets = new Map<string, CloudKitRecord>();
  private readonly masters = new Map<string, CloudKitRecord>();
  private readonly purged = new Set<string>();
  /** Records that came with their own serverErrorCode, by name: the feed reader deals with them. */
  private readonly errored = new Map<string, CloudKitRecord>();

  constructor(private readonly includeHidden: boolean) {}

  add(records: readonly CloudKitRecord[]): void {
    for (const record of records) {
      if (record.serverErrorCode) {
        this.errored.set(record.recordName, record);
        continue;
      }
      this.errored.delete(record.recordName); // a later version came through
      if (record.deleted === true) {
        // Purged from iCloud: `{recordName, recordType: null, deleted: true}`, no fields (spec 4.12).
        this.assets.delete(record.recordName);
        this.masters.delete(record.recordName);
        this.purged.add(record.recordName);
      } else if (record.recordType === 'CPLAsset') this.assets.set(record.recordName, record);
      else if (record.recordType === 'CPLMaster') this.masters.set(record.recordName, record);
      // Anything else (CPLAlbum, CPLLibraryInfo, CPLFaceCrop, CPLPerson, ...) is not a photo: skipped.
    }
  }

  /** Changed records that came with their own error and have not come through since. */
  erroredRecords(): CloudKitRecord[] {
    return [...this.errored.values()];
  }

  result(): CollectedChanges {
    const pairs: RecordPair[] = [];
    const assetsWithoutMaster: CloudKitRecord[] = [];
    // Purged CPLAsset names (UUIDs) match no asset id; the engine ignores ids it does not know.
    const removed = new Set<string>(this.purged);
    const mastersWithAsset = new Set<string>();
    for (const asset of this.assets.values()) {
      const masterName = masterNameOf(asset);
      if (masterName === undefined) continue;
      mastersWithAsset.add(masterName);
      // In Recently Deleted, or hidden while hidden items are not synced: gone from the listing.
      if (readFlag(asset, 'isDeleted') || (readFlag(asset, 'isHidden') && !this.includeHidden)) {
        removed.add(masterName);
        continue;
      }
      const master = this.masters.get(masterName);
      if (master && readFlag(master, 'isDeleted')) removed.add(masterName);
      else if (master) pairs.push({ master, asset });
      else assetsWithoutMaster.push(asset);
    }
    for (const master of this.masters.values()) {
      if (!mastersWithAsset.has(master.recordName) && readFlag(master, 'isDeleted')) removed.add(master.recordName);
    }
    return { pairs, assetsWithoutMaster, removedIds: [...removed] };
  }
}
