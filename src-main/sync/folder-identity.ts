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
export function settleFolderIdentity(tracker: Tracker, markerId: string): FolderChange {
  const recorded = tracker.folderId();
  if (recorded === markerId) return 'same';
  if (recorded === null) {
    // A first run, or a tracker from before identities: it describes this folder (the old rule).
    tracker.adoptFolderId(markerId);
    return 'same';
  }
  return tracker.switchFolder(markerId) ? 'returned' : 'new';
}
