/**
 * `setup`: marks the sync folder as ours (creating it if needed). Syncs never do this by
 * themselves: a folder without its marker later means an unplugged drive, not "start again".
 * Pointing setup at an existing folder (e.g. one icloudpd filled) adopts it: files that match an
 * asset by name and size are recorded on the first sync instead of being downloaded again.
 * The Apple ID and folder given as flags are saved in the config file, so later commands need none.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Command } from 'commander';
import { checkFolder } from '../../app/folder-check.js';
import { saveSettings } from '../../config/save-settings.js';
import { UserError } from '../../config/user-error.js';
import type { Settings } from '../../config/settings.js';
import { hasFolderMarker, setupSyncFolder } from '../../sync/folder-marker.js';
import { buildContext, requireSyncFolder } from '../context.js';
import { formatRecord } from '../output.js';

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('set up (or adopt) the sync folder given by --sync-folder or the config, and save --apple-id and --sync-folder in the config')
    .action(async (_options: unknown, command: Command) => {
      const context = buildContext(command, 'setup', { configMayBeNew: true });
      const folder = requireSyncFolder(context);
      // The app's folder step asks the same question: refused in plain words, not with a stack trace.
      const check = await checkFolder(folder);
      if (check.problem) throw new UserError('CONFIG_INVALID', check.problem);
      const existed = existsSync(folder);
      const alreadyMarked = existed && hasFolderMarker(folder);
      const entries = existed ? readdirSync(folder).length : 0;
      setupSyncFolder(folder);
      const state = alreadyMarked ? 'already set up' : existed && entries > 0 ? 'adopted (existing files are matched on the first sync)' : 'created';
      context.logger.info({ folder, state }, 'sync folder set up');

      const { sources, configPath } = context.loaded;
      const toSave: Partial<Settings> = {};
      if (sources.appleId === 'flag' && context.settings.appleId) toSave.appleId = context.settings.appleId;
      if (sources.syncFolder === 'flag') toSave.syncFolder = folder;
      if (Object.keys(toSave).length > 0) {
        saveSettings(configPath, toSave);
        context.logger.info({ configFile: configPath, saved: Object.keys(toSave) }, 'settings saved to the config file');
      }
      const saved = Object.keys(toSave).length > 0 ? `${Object.keys(toSave).join(', ')} in ${configPath}` : null;
      context.print(
        formatRecord({ syncFolder: folder, state, appleId: context.settings.appleId ?? null, saved }, context.format, {
          syncFolder: 'Sync folder',
          state: 'State',
          appleId: 'Apple ID',
          saved: 'Saved',
        }),
      );
    });
}
