/**
 * What `status` says about the archive: on or off, the last run (when, how it ended, what was
 * uploaded, what went wrong in plain words), and the files not archived yet. Local only: the plan
 * is the one a run would make (tracker + folder), so status never contacts Azure.
 */
import type { Settings } from '../config/settings.js';
import type { ArchiveRunRecord } from '../tracker/archive-store.js';
import type { Tracker } from '../tracker/tracker.js';
import { planArchive } from './archive-planner.js';

export interface ArchiveStatus {
  enabled: boolean;
  container: string | null;
  lastRun: (ArchiveRunRecord & { problem: string | null }) | null;
  /** Files of the sync folder not in the container yet (null without a sync folder on disk, or while the archive was never used). */
  notYetArchived: { files: number; bytes: number } | null;
}

/**
 * `tracker`: the account's tracker as `status` opened it (read in place, Tracker.openReadOnly: works
 * while a sync or an archive run is going), or null when there is none yet.
 */
export async function readArchiveStatus(settings: Settings, folder: string | null, tracker: Tracker | null): Promise<ArchiveStatus> {
  const status: ArchiveStatus = { enabled: settings.archiveEnabled, container: settings.archiveContainer ?? null, lastRun: null, notYetArchived: null };
  if (!tracker) return status;
  const last = tracker.archive.lastRuns(1)[0];
  if (last) status.lastRun = { ...last, problem: problemOf(last) };
  // Off and never used: no need to stat every file of the library for a number nobody asked for.
  if (folder && (status.enabled || last)) {
    const plan = await planArchive({ folder, prefix: settings.archivePrefix, files: tracker.allFiles(), archived: tracker.archive.archivedFiles(), mirror: false });
    status.notYetArchived = { files: plan.uploads.length, bytes: plan.uploads.reduce((sum, u) => sum + u.size, 0) };
  }
  return status;
}

/** The run's stop in its own words (they say what to do), or the files that failed alone. */
function problemOf(run: ArchiveRunRecord): string | null {
  // The stored message may join the catalogue's words and Azure's code with extra spaces.
  if (run.errorMessage) return run.errorMessage.replace(/\s+/g, ' ').trim();
  if (run.failed > 0) return `${run.failed} file${run.failed === 1 ? '' : 's'} could not be uploaded; the next archive run tries again.`;
  return null;
}
