import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Tracker } from '../tracker/tracker.js';

/**
 * What the sync folder is to the tracker this run: the one it describes, a folder it never saw
 * (set up anew, another path, an empty mount point set up by mistake), or one it saw before (a
 * drive plugged back in).
 */
export type FolderChange = 'same' | 'new' | 'returned';

/**
 * Lines the tracker up with the folder whose marker says `markerId`. A folder's files belong to
 * that folder: a new folder starts with none (so nothing "vanished" from it), and a folder seen
 * before gets its own rows back (tracker.switchFolder).
 */
export function settleFolderIdentity(tracker: Tracker, markerId: string, folder: string): FolderChange {
  const recorded = tracker.folderId();
  if (recorded === markerId) return 'same';
  if (recorded === null) {
    // A first run, or a tracker from before identities. It describes this folder if it tracks
    // nothing or one of its files is here; if none is, it described another folder (kept aside).
    if (describesFolder(tracker.knownFiles().downloadedPaths(), folder)) {
      tracker.adoptFolderId(markerId);
      return 'same';
    }
    tracker.adoptFolderId(EARLIER_UNNAMED_FOLDER);
  }
  return tracker.switchFolder(markerId) ? 'returned' : 'new';
}

/** True when no file is downloaded or one of them is in `folder` (paths streamed, not loaded at once). */
function describesFolder(downloaded: Iterable<string>, folder: string): boolean {
  let none = true;
  for (const relPath of downloaded) {
    none = false;
    if (lstatSync(join(folder, ...relPath.split('/')), { throwIfNoEntry: false })) return true;
  }
  return none;
}

/** The identity under which the files of a folder from before identities are kept aside. */
const EARLIER_UNNAMED_FOLDER = 'before-folder-identities';
