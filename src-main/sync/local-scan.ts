import { join } from 'node:path';
import { compareKeys, pathKey } from '../tracker/file-rows.js';
import { ListedTrackedKeys, TrackedKeyCursor, type TrackedKeys } from '../tracker/tracked-keys.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import type { DiskFile } from './plan-types.js';
import { fileSize, sha256OfFile, walkFolders } from './folder-walk.js';
import { ensureInsideRealFolder } from './real-folder.js';

export interface LocalScanResult {
  /** Downloaded files still where the tracker says. */
  presentCount: number;
  /** Files the user moved or renamed inside the folder: same size and same SHA-256 found elsewhere. */
  moved: Array<{ file: TrackedFile; relPath: string }>;
  /** Files gone from the folder: deleted by the user (or the folder is not what it was). */
  vanished: TrackedFile[];
  /**
   * Files not found because their path goes through a link (a folder moved to another disk and
   * linked back): they are neither deleted nor ours to write, so they are left as they are.
   */
  underLink: TrackedFile[];
  /** Files in the folder the tracker does not know (after moves are accounted for). */
  untracked: DiskFile[];
  /** Every folder (relative): its name is taken, no photo can be written there. */
  folders: string[];
}

/**
 * Compares the tracker with the folder. Reads only: the caller decides what to record. The walk hands
 * the folder's files over in the order of their keys, and the tracker's keys are read in the same
 * order (`tracked`: the path_key index in a real run), so the two are merged like two sorted lists:
 * a key in both is a file still there, a key only in the tracker a file not found, a key only on
 * disk an untracked file. A scan holds neither every tracked file nor every name on disk; only the
 * differences are kept. Only untracked files are stat'ed (for their size). A missing file is matched
 * against untracked files of the same size first, and only those are hashed. `root` is the real
 * sync folder (realFolder).
 */
export async function scanLocalFolder(root: string, tracked: ReadonlyArray<TrackedFile> | TrackedKeys): Promise<LocalScanResult> {
  const source = Array.isArray(tracked) ? new ListedTrackedKeys(tracked) : (tracked as TrackedKeys);
  const notDownloaded = source.notDownloadedKeys();
  const cursor = new TrackedKeyCursor(source);
  const notFoundKeys: string[] = [];
  const untrackedPaths: string[] = [];
  let presentCount = 0;
  /** Tracked keys that sort before `key` are not on disk. */
  const passTrackedBefore = (key: string | null) => {
    for (let next = cursor.peek(); next !== undefined && (key === null || compareKeys(next, key) < 0); next = cursor.peek()) {
      cursor.take();
      if (!notDownloaded.has(next)) notFoundKeys.push(next);
    }
  };
  // The key of the last file found tracked: names that differ only in case (a case-sensitive disk)
  // have one key, and all of them count as that tracked file.
  let lastFound: string | null = null;
  const { links, folders } = await walkFolders(root, (files) => {
    for (const file of files) {
      if (cursor.peek() !== file.key) passTrackedBefore(file.key);
      if (cursor.peek() === file.key) {
        cursor.take();
        lastFound = file.key;
        if (!notDownloaded.has(file.key)) presentCount++;
      } else if (file.key !== lastFound) untrackedPaths.push(file.relPath);
    }
  });
  passTrackedBefore(null);
  const untracked = await sizesOf(root, untrackedPaths);
  // Whole rows only for the few files not found.
  const notFound = source.filesAt(notFoundKeys);
  byRelPath(notFound);
  byRelPath(untracked);
  const linkKeys = links.map(pathKey);
  const throughLink = (f: TrackedFile) => linkKeys.some((link) => pathKey(f.relPath) === link || pathKey(f.relPath).startsWith(`${link}/`));
  const underLink = notFound.filter(throughLink);
  const missing = notFound.filter((f) => !throughLink(f));

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
    presentCount,
    moved,
    vanished,
    underLink,
    untracked: untracked.filter((f) => !taken.has(pathKey(f.relPath))),
    folders,
  };
}

/** The untracked files with their sizes, a few stat'ed at a time (a file gone since the walk, or no longer a regular file, is left out). */
async function sizesOf(root: string, relPaths: ReadonlyArray<string>): Promise<DiskFile[]> {
  const found: DiskFile[] = [];
  for (let from = 0; from < relPaths.length; from += STATS_AT_ONCE) {
    const some = relPaths.slice(from, from + STATS_AT_ONCE);
    const sizes = await Promise.all(some.map((relPath) => fileSize(join(root, relPath))));
    some.forEach((relPath, i) => {
      const size = sizes[i];
      if (size !== null && size !== undefined) found.push({ relPath, size });
    });
  }
  return found;
}

const STATS_AT_ONCE = 32;

/** Sorted, the result is the same on every run (moves are matched in this order). */
function byRelPath<T extends { relPath: string }>(list: T[]): T[] {
  return list.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

export interface MassDeletionRule {
  massDeletionShare: number;
  massDeletionMinCount: number;
}

/**
 * What to tell the user when a run stopped for MASS_DELETION. When every file is gone, a wrong
 * folder or a missing drive is far likelier than a deletion: the advice never offers to confirm.
 * Otherwise it names the exact count to confirm with (`confirmed` was a different one, if given).
 */
export function massDeletionAdvice(vanished: number, tracked: number, folder: string, confirmed: number | undefined): string {
  if (vanished === tracked) {
    return `All ${vanished} downloaded files are gone from ${folder}. Is this the right folder or drive? If the drive is unplugged or not mounted, connect it and sync again. Nothing was marked as deleted.`;
  }
  const mismatch = confirmed === undefined ? '' : ` (not ${confirmed})`;
  return `${vanished}${mismatch} of ${tracked} downloaded files are gone from ${folder} at once. Nothing was marked as deleted. Check that this is the right folder or drive; if you deleted these files on purpose, run the sync again with --confirm-deletions ${vanished}.`;
}

/** True when so many files vanished at once that an unplugged or wiped drive is more likely than the user. */
export function looksLikeMassDeletion(vanished: number, trackedDownloaded: number, rule: MassDeletionRule): boolean {
  if (vanished < rule.massDeletionMinCount || trackedDownloaded === 0) return false;
  return vanished / trackedDownloaded > rule.massDeletionShare;
}
