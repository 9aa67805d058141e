/**
 * `deleted`: files the user deleted from the sync folder, which are never downloaded again;
 * `deleted restore <path|id>...` un-marks them so the next sync brings them back.
 */
import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../config/user-error.js';
import type { TrackedFile } from '../../tracker/tracker-types.js';
import { buildContext, type CliContext } from '../context.js';
import { withTracker } from '../open-tracker.js';
import { formatTable, formatTime } from '../output.js';

export function registerDeletedCommand(program: Command): void {
  const deleted = program.command('deleted').description('list files you deleted locally, or restore them');
  deleted
    .command('list', { isDefault: true })
    .description('list files marked as deleted locally (never downloaded again)')
    .action((_options: unknown, command: Command) => {
      const context = buildContext(command, 'deleted');
      const files = withTracker(context, (tracker) => tracker?.deletedFiles() ?? []);
      context.print(formatTable(deletedTable(files), context.format));
    });
  deleted
    .command('restore')
    .argument('<path-or-id...>', 'relative path in the sync folder (as listed), absolute path, or asset id')
    .description('un-mark files so the next sync downloads them again')
    .action((targets: string[], _options: unknown, command: Command) => {
      const context = buildContext(command, 'deleted');
      const restored = withTracker(context, (tracker) => {
        const files = tracker?.deletedFiles() ?? [];
        const chosen = targets.map((target) => {
          const matches = files.filter((file) => matchesTarget(context, file, target));
          if (matches.length === 0) {
            throw new UserError('CONFIG_INVALID', `No file marked as deleted matches "${target}". List them with: icloud-photo-sync deleted`);
          }
          return matches;
        });
        const unique = [...new Map(chosen.flat().map((file) => [`${file.assetId}|${file.version}`, file])).values()];
        return unique.filter((file) => tracker?.restoreDeleted(file.assetId, file.version));
      });
      for (const file of restored) context.logger.info({ path: file.relPath }, 'restored: the next sync downloads it again');
      context.print(formatTable(deletedTable(restored), context.format));
    });
}

function matchesTarget(context: CliContext, file: TrackedFile, target: string): boolean {
  if (file.assetId === target) return true;
  let rel = target.replace(/\\/g, '/');
  const folder = context.settings.syncFolder;
  if (isAbsolute(target) && folder) rel = relative(folder, target).replace(/\\/g, '/');
  return file.relPath === rel.replace(/^\.\//, '');
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
