/**
 * The words for the archive stage while it runs after a sync: the sync itself has finished then,
 * so the views (status message, status view, tray) say "Archiving to Azure", not "Syncing".
 */
import type { ArchiveView } from './snapshot.js';

export const ARCHIVING_TITLE = 'Archiving to Azure';

/** "Archiving to Azure · 3 of 12 files", or the check that comes before the count is known; null when not archiving. */
export function archivingLine(archive: ArchiveView): string | null {
  if (!archive.running) return null;
  const progress = archive.progress;
  if (!progress || progress.filesTotal === 0) return `${ARCHIVING_TITLE} · checking what is new`;
  return `${ARCHIVING_TITLE} · ${progress.filesDone} of ${progress.filesTotal} files`;
}
