/**
 * `deleted`: files the user deleted from the sync folder, which are never downloaded again;
 * `deleted restore <path|folder|id>... | --all` un-marks them so the next sync brings them back.
 * Files are noticed as deleted by a sync (its scan of the folder): the list says so.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../config/user-error.js';
import type { TrackedFile } from '../../tracker/tracker-types.js';
import { buildContext, type CliContext } from '../context.js';
import { errorCodeOf } from '../../sync/sync-error.js';
import { trackerPathOf } from '../open-tracker.js';
import { formatBytes, formatTable, formatTime, type Table } from '../output.js';

export function registerDeletedCommand(program: Command): void {
  const deleted = program.command('deleted').description('list files you deleted locally, or restore them');
  deleted
    .command('list', { isDefault: true })
    .description('list files marked as deleted locally (never downloaded again)')
    .action(async (_options: unknown, command: Command) => {
      const context = buildContext(command, 'deleted');
      const { listDeletedFiles, readSyncStatus } = await trackerQueries();
      const path = trackerPathOf(context);
      const files = existsSync(path) ? listDeletedFiles(path) : [];
      context.logger.debug({ count: files.length }, 'deleted files listed');
      context.print(formatTable(deletedTable(files, context), context.format));
      if (context.format === 'human') {
        const lastRun = existsSync(path) ? readSyncStatus(path, 1).lastRuns[0] : undefined;
        const since = lastRun ? ` (${formatTime(lastRun.startedAt)})` : '';
        context.print(`\nFiles you deleted since the last sync${since} are listed\nonce the next sync notices them.\n`);
      }
    });
  deleted
    .command('restore')
    .argument('[path-or-id...]', 'a file or folder in the sync folder (relative as listed, or absolute), or an asset id')
    .option('--all', 'restore every file marked as deleted')
    .description('un-mark files so the next sync downloads them again')
    .action(async (targets: string[], options: { all?: boolean }, command: Command) => {
      const context = buildContext(command, 'deleted');
      if (targets.length === 0 && !options.all) throw new UserError('USAGE', 'Name the files or folders to restore, or pass --all.');
      const { listDeletedFiles, restoreDeletedFiles } = await trackerQueries();
      const path = trackerPathOf(context);
      const candidates = existsSync(path) ? listDeletedFiles(path) : [];
      const chosen = options.all ? candidates : targets.flatMap((target) => matchTarget(context, candidates, target));
      const restored: TrackedFile[] = [];
      // A sync running now finishes without saving its change-feed position (the tracker sees the
      // restore), so the restore holds either way; the lock only tells which sync brings the file.
      const release = await runLockIfFree(`${path}.lock`);
      try {
        restored.push(...restoreDeletedFiles(path, [...new Set(chosen.map((file) => file.relPath))]));
      } finally {
        release?.();
      }
      const when = release ? 'the next sync downloads it again' : 'a sync is running now; the sync after it downloads it again';
      for (const file of restored) context.logger.info({ path: file.relPath }, `restored: ${when}`);
      if (context.format === 'human') {
        context.print(restored.length ? `Restored (${release ? 'the next sync downloads these again' : 'a sync is running now; the sync after it downloads these again'}):\n` : 'Nothing was marked as deleted: nothing to restore.\n');
        if (restored.length === 0) return;
      }
      context.print(formatTable(deletedTable(restored, context), context.format));
    });
}

/** The tracker's queries, loaded on first use (SQLite is not needed for --help or other commands). */
function trackerQueries() {
  return import('../../sync/sync-queries.js');
}

/** The run lock's release, or null when a sync holds the lock now. */
async function runLockIfFree(lockPath: string): Promise<(() => void) | null> {
  if (!existsSync(dirname(lockPath))) return () => {};
  const { acquireRunLock } = await import('../../sync/run-lock.js');
  try {
    return acquireRunLock(lockPath);
  } catch (error) {
    if (errorCodeOf(error) === 'ALREADY_RUNNING') return null;
    throw error;
  }
}

/** The deleted files a target names: one path, everything under a folder, or an asset id's files. */
function matchTarget(context: CliContext, candidates: TrackedFile[], target: string): TrackedFile[] {
  const wanted = asListedPath(context, target).normalize('NFC').replace(/\/+$/, '');
  const under = wanted === '' || wanted === '.' ? '' : `${wanted}/`;
  const matches = candidates.filter((f) => f.relPath === wanted || f.assetId === target || f.relPath.startsWith(under));
  if (matches.length === 0) throw new UserError('NOTHING_TO_RESTORE', `No file marked as deleted matches "${target}".`);
  return matches;
}

/** An absolute path inside the sync folder, or a relative one with \\ or ./, as the tracker lists it. */
function asListedPath(context: CliContext, target: string): string {
  const folder = context.settings.syncFolder;
  const rel = isAbsolute(target) && folder ? relative(folder, target) : target;
  return rel.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** Sizes readable for people, raw bytes for scripts; the path is what gets cut to fit 80 columns. */
function deletedTable(files: TrackedFile[], context: CliContext): Table {
  const human = context.format === 'human';
  return {
    columns: human
      ? [
          { key: 'relPath', title: 'Path', shrink: true },
          { key: 'version', title: 'Version' },
          { key: 'noticedAt', title: 'Noticed' },
          { key: 'size', title: 'Size' },
        ]
      : [
          { key: 'relPath', title: 'Path' },
          { key: 'version', title: 'Version' },
          { key: 'noticedAt', title: 'Noticed' },
          { key: 'size', title: 'Bytes' },
          { key: 'assetId', title: 'Asset id' },
        ],
    rows: files.map(({ mtimeMs, ...file }) => ({
      ...file,
      // Every date in ISO 8601, for people and scripts alike.
      noticedAt: formatTime(file.noticedAt),
      recordedAt: formatTime(file.recordedAt),
      modifiedAt: formatTime(mtimeMs),
      ...(human ? { size: formatBytes(file.size) } : {}),
    })),
  };
}
