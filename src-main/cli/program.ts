/**
 * The command-line interface: global options (data folder, config file, output format, every
 * setting as a flag) and the commands. Each command lives in ./commands/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { SETTING_KEYS, SETTING_META, envNameOf, flagNameOf } from '../config/settings.js';
import { registerArchiveCommand } from './commands/archive.js';
import { registerAuthCommands } from './commands/auth.js';
import { registerDaemonCommand } from './commands/daemon.js';
import { registerDeletedCommand } from './commands/deleted.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerSecretCommand } from './commands/secret.js';
import { registerSetupCommand } from './commands/setup.js';
import { registerStatusCommand } from './commands/status.js';
import { registerSyncCommand } from './commands/sync.js';
import { attachNetwork, type CliNetwork } from './network.js';
import { registerWebLinkCommand } from './commands/web-link.js';

/** The version in package.json, found by walking up from this file (source and built layouts differ). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'icloud-photo-sync' && pkg.version) return pkg.version;
  }
  return 'unknown';
}
/** The albums setting is given one album per flag: --album Trips --album Family. */
export const ALBUM_FLAG = 'album';

function addSettingOptions(program: Command): void {
  program.optionsGroup('Settings (also from the config file and ICLOUD_PHOTO_SYNC_* variables):');
  for (const key of SETTING_KEYS) {
    const meta = SETTING_META[key];
    const flag = flagNameOf(key);
    const help = `${meta.description} [env ${envNameOf(key)}]`;
    if (meta.kind === 'bool') {
      // Commander stores --flag and --no-flag under the camelCase key itself.
      program.addOption(new Option(`--${flag}`, help));
      program.addOption(new Option(`--no-${flag}`, `do not: ${meta.description}`));
    } else if (meta.kind === 'list' && key !== 'albums') {
      program.addOption(new Option(`--${flag} <list>`, `${help}; comma-separated`).argParser((value: string) => value.split(',').map((part) => part.trim()).filter(Boolean)));
    } else if (meta.kind === 'list') {
      program.addOption(
        new Option(`--${ALBUM_FLAG} <name>`, `${help}; repeat for several`).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
      );
    } else {
      program.addOption(new Option(`--${flag} <value>`, help));
    }
  }
}

export function createProgram(network: CliNetwork = {}): Command {
  const program = new Command('icloud-photo-sync')
    .description('Keep a local, one-way copy of your iCloud Photos library.')
    .version(packageVersion())
    // Throw instead of exiting, so run.ts maps usage errors to exit 2; set before adding commands,
    // which inherit it.
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .optionsGroup('Global options:')
    .option('--data-dir <path>', 'data folder for sessions, trackers, logs, config [env ICLOUD_PHOTO_SYNC_DATA_DIR] (default ~/.icloud_photo_sync)')
    .option('--config <file>', 'config file (JSON) [env ICLOUD_PHOTO_SYNC_CONFIG] (default <data-dir>/config.json)')
    .option('--json', 'print results as JSON (for scripts)')
    .option('--csv', 'print results as CSV (for scripts)')
    .option('-q, --quiet', 'only warnings and errors on the console');
  attachNetwork(program, network);
  addSettingOptions(program);
  registerSetupCommand(program);
  registerAuthCommands(program);
  registerSyncCommand(program);
  registerStatusCommand(program);
  registerDeletedCommand(program);
  registerArchiveCommand(program);
  registerDaemonCommand(program);
  registerDoctorCommand(program);
  registerSecretCommand(program);
  // Set after the commands (which keep commander's guesses for their options): run.ts makes a closer guess.
  program.showSuggestionAfterError(false);
  registerWebLinkCommand(program);
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 unexpected error, 2 configuration or usage error, 3 sign-in needed, 4 throttled by Apple,
5 partial failure, 6 mass deletion stopped the run, 7 already running, 8 sync folder missing,
9 iCloud unreachable, 10 local storage problem (disk full, database), 11 not set up yet (run setup),
12 nothing matches (e.g. deleted restore), 130 interrupted. The archive uses the same codes: 2 for its
credentials, permission or container, 4 throttled by Azure, 9 Azure unreachable, 10 storage account full.`,
  );
  return program;
}
