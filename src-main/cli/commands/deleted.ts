/**
 * `deleted`: files the user deleted from the sync folder, which are never downloaded again;
 * `deleted restore <path|id>...` un-marks them so the next sync brings them back.
 */
import { dirname, isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../config/user-error.js';
import type { TrackedFile } from '../../tracker/tracker-types.js';
import { buildContext, type CliContext } from '../context.js';
import { existsSync } from 'node:fs';
import { acquireRunLock } from '../../sync/run-lock.js';
import { errorCodeOf } from '../../sync/sync-error.js';
import { listDeletedFiles, restoreDeletedFile } from '../../sync/sync-queries.js';
import { trackerPathOf } from '../open-tracker.js';
import { formatTable, formatTime } from '../output.js';

export function registerDeletedCommand(program: Command): void {
  const deleted = program.command('deleted').description('list files you deleted locally, or restore them');
  deleted
    .command('list', { isDefault: true })
    .description('list files marked as deleted locally (never downloaded again)')
    .action((_options: unknown, command: Command) => {
      const context = buildContext(command, 'deleted');
      const path = trackerPathOf(context);
      const files = existsSync(path) ? listDeletedFiles(path) : [];
      context.print(formatTable(deletedTable(files), context.format));
    });
  deleted
    .command('restore')
    .argument('<path-or-id...>', 'relative path in the sync folder (as listed), absolute path, or asset id')
    .description('un-mark files so the next sync downloads them again')
    .action((targets: string[], _options: unknown, command: Command) => {
      const context = buildContext(command, 'deleted');
      const path = trackerPathOf(context);
      const restored: TrackedFile[] = [];
      // A sync running now finishes without saving its change-feed position (the tracker sees the
      // restore), so the restore holds either way; the lock only tells which sync brings the file.
      const release = runLockIfFree(`${path}.lock`);
      try {
        for (const target of targets) {
          const matches = existsSync(path) ? restoreDeletedFile(path, asListedPath(context, target)) : [];
          if (matches.length === 0) {
            throw new UserError('CONFIG_INVALID', `No file marked as deleted matches "${target}". List them with: icloud-photo-sync deleted`);
          }
          restored.push(...matches);
        }
      } finally {
        release?.();
      }
      const when = release ? 'the next sync downloads it again' : 'a sync is running now; the sync after it downloads it again';
      for (const file of restored) context.logger.info({ path: file.relPath }, `restored: ${when}`);
      context.print(formatTable(deletedTable(restored), context.format));
    });
}

/** The run lock's release, or null when a sync holds the lock now. */
function runLockIfFree(lockPath: string): (() => void) | null {
  if (!existsSync(dirname(lockPath))) return () => {};
  try {
    return acquireRunLock(lockPath);
  } catch (error) {
    if (errorCodeOf(error) === 'ALREADY_RUNNING') return null;
    throw error;
  }
}

/** An absolute path inside the sync folder, or a relative one with \\ or ./, as the tracker lists it. */
function asListedPath(context: CliContext, target: string): string {
  const folder = context.settings.syncFolder;
  const rel = isAbsolute(target) && folder ? relative(folder, target) : target;
  return rel.replace(/\\/g, '/').replace(/^\.\//, '');
}

function deletedTable(files: TrackedFile[]) {
  return {
    columns: [
      { key: 'relPath', title: 'Path' },
      { key: 'version', title: 'Version' },
      { key: 'noticedAt', title: 'Noticed' },
      { key: 'size', title: 'Bytes' },
      { key: 'assetId', title: 'Asset id' },
    ],
    rows: files.map((file) => ({ ...file, noticedAt: formatTime(file.noticedAt) })),
  };
}
