import { join } from 'node:path';
import { pathKey } from '../tracker/file-rows.js';
import { ListedTrackedByFolder, type TrackedByFolder, type TrackedKey } from '../tracker/tracked-by-folder.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import type { DiskFile } from './plan-types.js';
import { fileSize, sha256OfFile, walkFolders, type WalkedFolder } from './folder-walk.js';
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
 * Compares the tracker with the folder. Reads only: the caller decides what to record. The folder is
 * walked one folder at a time and each folder is compared with the tracked files of that folder
 * (`tracked`, from SQL in a real run), so a scan holds neither every tracked file nor every name on
 * disk; only the differences are kept. Only untracked files are stat'ed (for their size). A
 * missing file is matched against untracked files of the same size first, and only those are
 * hashed. `root` is the real sync folder (realFolder).
 */
export async function scanLocalFolder(root: string, tracked: ReadonlyArray<TrackedFile> | TrackedByFolder): Promise<LocalScanResult> {
  const byFolder = Array.isArray(tracked) ? new ListedTrackedByFolder(tracked) : (tracked as TrackedByFolder);
  const notFoundKeys: string[] = [];
  const untracked: DiskFile[] = [];
  const walkedKeys = new Set<string>();
  let presentCount = 0;
  /** Compares the folders that have one key (usually one folder) with that folder's tracked files. */
  const compare = async (sameKey: ReadonlyArray<WalkedFolder>) => {
    const folderKey = sameKey[0]?.key ?? '';
    walkedKeys.add(folderKey);
    const here = byFolder.keysInFolder(folderKey, sameKey.flatMap((folder) => folder.subFolderKeys));
    // The usual folder: every name exactly as recorded, nothing more, nothing less. Nothing else to
    // compute (no key of every name: at 300,000 files that is most of the scan's garbage).
    if (sameKey.length === 1 && sameNames(here, sameKey[0]?.fileNames ?? [])) {
      for (const [, , downloaded] of here) presentCount += downloaded;
      return;
    }
    const onDisk = new Set(sameKey.flatMap((folder) => folder.fileNames.map((name) => pathKey(folder.prefix + name))));
    for (const [, key, downloaded] of here) {
      if (!downloaded) continue;
      if (onDisk.has(key)) presentCount++;
      else notFoundKeys.push(key);
    }
    const trackedKeys = new Set(here.map(([, key]) => key));
    for (const folder of sameKey) {
      for (const name of folder.fileNames) {
        const relPath = folder.prefix + name;
        if (trackedKeys.has(pathKey(relPath))) continue;
        // Stat'ed only now: a tracked file needs no size to be found present.
        const size = await fileSize(join(folder.path, name));
        if (size !== null) untracked.push({ relPath, size });
      }
    }
  };
  // Folders whose names differ only in case (a case-sensitive disk) are compared together, at the end.
  const sharingKeys = new Map<string, WalkedFolder[]>();
  const { links, folders } = await walkFolders(root, async (folder) => {
    if (!folder.sharesKey) return compare([folder]);
    sharingKeys.set(folder.key, [...(sharingKeys.get(folder.key) ?? []), folder]);
  });
  for (const sameKey of sharingKeys.values()) await compare(sameKey);
  // Whole rows only for the few files not found.
  const notFound = [...byFolder.filesAt(notFoundKeys), ...byFolder.outsideFolders(walkedKeys, presentCount + notFoundKeys.length)];
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

/**
 * True when a folder's file names are exactly the tracked names of that folder. Tracked names of one
 * folder are distinct (their keys are), and so are the names in one folder: same count and every
 * tracked name present means the same set.
 */
function sameNames(tracked: ReadonlyArray<TrackedKey>, onDisk: ReadonlyArray<string>): boolean {
  if (tracked.length !== onDisk.length) return false;
  const names = new Set(onDisk);
  return tracked.every(([name]) => names.has(name));
}

/** The walk reads folders in parallel: sorted, the result is the same on every run (moves are matched in this order). */
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
