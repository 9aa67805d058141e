/**
 * What every command needs, built once from the global options: the data folder, validated
 * settings, the logger (file + console), the output format and where requests go (network.ts).
 */
import type { Command } from 'commander';
import { loadSettings, type LoadedSettings } from '../config/load-settings.js';
import { resolve } from 'node:path';
import { dataPaths, ensureDataDirs, expandHome, resolveDataDir, type DataPaths } from '../config/paths.js';
import { SETTING_KEYS, type SettingKey, type Settings } from '../config/settings.js';
import { UserError } from '../config/user-error.js';
import { configureLogging, createFileLogger, createLogger, type LevelName, type Logger } from '../log/logger.js';
import type { OutputFormat } from './output.js';
import { networkOf, type CliNetwork } from './network.js';

export interface GlobalOptions {
  dataDir?: string;
  config?: string;
  json?: boolean;
  csv?: boolean;
  quiet?: boolean;
  [setting: string]: unknown;
}

export interface CliContext {
  paths: DataPaths;
  settings: Settings;
  loaded: LoadedSettings;
  format: OutputFormat;
  logger: Logger;
  logFile: string | null;
  network: CliNetwork;
  /** Writes command results to stdout. */
  print(text: string): void;
}

export function outputFormatOf(options: GlobalOptions): OutputFormat {
  if (options.json && options.csv) throw new UserError('USAGE', 'Choose either --json or --csv, not both.');
  return options.json ? 'json' : options.csv ? 'csv' : 'human';
}

function startLogging(paths: DataPaths, level: LevelName, quiet: boolean | undefined): { logFile: string | null } {
  return configureLogging({
    logsDir: paths.logsDir,
    fileName: 'cli',
    level,
    console: { level: quiet ? 'warn' : level, withTime: !process.stderr.isTTY },
  });
}

export interface BuildContextOptions {
  /** `setup` writes the config file, so a --config file that does not exist yet is fine. */
  configMayBeNew?: boolean;
}

export function buildContext(command: Command, scope: string, options: BuildContextOptions = {}): CliContext {
  const global = command.optsWithGlobals<GlobalOptions>();
  const paths = dataPaths(resolveDataDir(global.dataDir));
  ensureDataDirs(paths);
  // Logging starts before the settings are read, so that a bad setting is in cli.log as well.
  startLogging(paths, 'info', global.quiet);
  createFileLogger(`cli.${scope}`).info({ args: process.argv.slice(2) }, `command: ${scope}`);
  const format = outputFormatOf(global);
  const flags: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) if (global[key] !== undefined) flags[key] = global[key];
  if (global.album !== undefined) flags.albums = global.album;
  const loaded = loadSettings({ flags, configPath: global.config, defaultConfigPath: paths.configFile, configMayBeNew: options.configMayBeNew });
  const network = networkOf(command);
  const { logFile } = startLogging(paths, loaded.settings.logLevel, global.quiet);
  const logger = createLogger(`cli.${scope}`);
  logger.debug({ dataDir: paths.root, configFile: loaded.configFile, sources: loaded.sources }, 'settings loaded');
  return { paths, settings: loaded.settings, loaded, format, logger, logFile, network, print: (text) => process.stdout.write(text) };
}

const SETUP_HINT = 'or pass it as a flag, or set it in the environment';

/** The Apple ID, or a NOT_SET_UP error saying how to give it. */
export function requireAppleId(context: CliContext): string {
  const appleId = context.settings.appleId;
  if (!appleId) throw new UserError('NOT_SET_UP', `No Apple ID is set (${SETUP_HINT}: --apple-id, ICLOUD_PHOTO_SYNC_APPLE_ID).`);
  return appleId;
}

export function requireSyncFolder(context: CliContext): string {
  const folder = context.settings.syncFolder;
  if (!folder) throw new UserError('NOT_SET_UP', `No sync folder is set (${SETUP_HINT}: --sync-folder, ICLOUD_PHOTO_SYNC_SYNC_FOLDER).`);
  return resolve(expandHome(folder));
}
