import { pathKey } from '../tracker/tracker.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import type { DiskFile } from './plan-types.js';
import { sha256OfFile, walkFolder } from './folder-walk.js';
import { ensureInsideRealFolder } from './real-folder.js';

export interface LocalScanResult {
  /** Downloaded files still where the tracker says. */
  presentCount: number;
  /** Files the user moved or renamed inside the folder: same size and same SHA-256 found elsewhere. */
  moved: Array<{ file: TrackedFile; relPath: string }>;
  /** Files gone from the folder: deleted by the user (or the folder is not what it was). */
  vanished: TrackedFile[];
  /** Files in the folder the tracker does not know (after moves are accounted for). */
  untracked: DiskFile[];
  /** Every folder (relative): its name is taken, no photo can be written there. */
  folders: string[];
}

/**
 * Compares the tracker with the folder. Reads only: the caller decides what to record. A missing
 * file is matched against untracked files of the same size first, and only those are hashed.
 * `root` is the real sync folder (realFolder).
 */
export async function scanLocalFolder(root: string, tracked: ReadonlyArray<TrackedFile>): Promise<LocalScanResult> {
  const folders: string[] = [];
  const disk = await walkFolder(root, (relPath) => folders.push(relPath));
  const diskByKey = new Map(disk.map((f) => [pathKey(f.relPath), f]));
  const trackedKeys = new Set(tracked.map((f) => pathKey(f.relPath)));
  const untracked = disk.filter((f) => !trackedKeys.has(pathKey(f.relPath)));
  const downloaded = tracked.filter((f) => f.state === 'downloaded');
  const missing = downloaded.filter((f) => !diskByKey.has(pathKey(f.relPath)));

  const bySize = new Map<number, DiskFile[]>();
  for (const f of untracked) bySize.set(f.size, [...(bySize.get(f.size) ?? []), f]);
  const hashes = new Map<string, string>();
  const taken = new Set<string>();
  const moved: LocalScanResult['moved'] = [];
  const vanished: TrackedFile[] = [];
  for (const file of missing) {
    let match: DiskFile | undefined;
    for (const candidate of bySize.get(file.size) ?? []) {
      const key = pathKey(candidate.relPath);
      if (taken.has(key)) continue;
      let hash = hashes.get(key);
      if (hash === undefined) {
        hash = await sha256OfFile(await ensureInsideRealFolder(root, candidate.relPath, false));
        hashes.set(key, hash);
      }
      if (hash === file.sha256) {
        match = candidate;
        break;
      }
    }
    if (match) {
      taken.add(pathKey(match.relPath));
      moved.push({ file, relPath: match.relPath });
    } else {
      vanished.push(file);
    }
  }
  return {
    presentCount: downloaded.length - missing.length,
    moved,
    vanished,
    untracked: untracked.filter((f) => !taken.has(pathKey(f.relPath))),
    folders,
  };
}

export interface MassDeletionRule {
  massDeletionShare: number;
  massDeletionMinCount: number;
}

/** True when so many files vanished at once that an unplugged or wiped drive is more likely than the user. */
export function looksLikeMassDeletion(vanished: number, trackedDownloaded: number, rule: MassDeletionRule): boolean {
  if (vanished < rule.massDeletionMinCount || trackedDownloaded === 0) return false;
  return vanished / trackedDownloaded > rule.massDeletionShare;
}
