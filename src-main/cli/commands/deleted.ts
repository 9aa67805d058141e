/**
 * `deleted`: files the user deleted from the sync folder, which are never downloaded again;
 * `deleted restore <path|id>...` un-marks them so the next sync brings them back.
 */
import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../config/user-error.js';
import type { TrackedFile } from '../../tracker/tracker-types.js';
import { buildContext, type CliContext } from '../context.js';
import { existsSync } from 'node:fs';
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
      for (const target of targets) {
        const matches = existsSync(path) ? restoreDeletedFile(path, asListedPath(context, target)) : [];
        if (matches.length === 0) {
          throw new UserError('CONFIG_INVALID', `No file marked as deleted matches "${target}". List them with: icloud-photo-sync deleted`);
        }
        restored.push(...matches);
      }
      for (const file of restored) context.logger.info({ path: file.relPath }, 'restored: the next sync downloads it again');
      context.print(formatTable(deletedTable(restored), context.format));
    });
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
