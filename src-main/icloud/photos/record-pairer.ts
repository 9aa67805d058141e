import { masterNameOf } from './asset-mapper.js';
import type { CloudKitRecord } from './responses/record-schema.js';

export interface RecordPair {
  master: CloudKitRecord;
  asset: CloudKitRecord;
}

/**
 * Pairs CPLAsset records with their CPLMaster by masterRef, never by position. Records whose
 * partner has not arrived yet stay pending, so a pair split across a page boundary still pairs
 * on the next page. Only unpaired records are held: memory stays at about one page.
 */
export class RecordPairer {
  private readonly mastersByName = new Map<string, CloudKitRecord>();
  private readonly assetsByMaster = new Map<string, CloudKitRecord[]>();

  /** Adds a page's records; returns the pairs completed by it, in the order of their assets. */
  add(records: readonly CloudKitRecord[]): RecordPair[] {
    const pairs: RecordPair[] = [];
    const newAssets: Array<[string, CloudKitRecord]> = [];
    for (const record of records) {
      if (record.recordType === 'CPLMaster') this.mastersByName.set(record.recordName, record);
      else if (record.recordType === 'CPLAsset') {
        const masterName = masterNameOf(record);
        if (masterName !== undefined) newAssets.push([masterName, record]);
      }
    }
    // Assets left over from earlier pages whose master came with this page.
    for (const [masterName, waiting] of this.assetsByMaster) {
      const master = this.mastersByName.get(masterName);
      if (!master) continue;
      for (const asset of waiting) pairs.push({ master, asset });
      this.assetsByMaster.delete(masterName);
      this.mastersByName.delete(masterName);
    }
    const usedMasters = new Set<string>();
    for (const [masterName, asset] of newAssets) {
      const master = this.mastersByName.get(masterName);
      if (master) {
        pairs.push({ master, asset });
        usedMasters.add(masterName); // kept until the page is done: one master can back several assets
      } else {
        const waiting = this.assetsByMaster.get(masterName) ?? [];
        waiting.push(asset);
        this.assetsByMaster.set(masterName, waiting);
      }
    }
    for (const name of usedMasters) this.mastersByName.delete(name);
    return pairs;
  }

  /** Masters that assets are still waiting for. */
  waitingMasterNames(): string[] {
    return [...this.assetsByMaster.keys()];
  }

  /** Assets still waiting for their master. */
  waitingAssetCount(): number {
    let count = 0;
    for (const waiting of this.assetsByMaster.values()) count += waiting.length;
    return count;
  }

  pendingCount(): number {
    let count = this.mastersByName.size;
    for (const waiting of this.assetsByMaster.values()) count += waiting.length;
    return count;
  }
}
