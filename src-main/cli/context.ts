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
import { configureLogging, createLogger, type Logger } from '../log/logger.js';
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
  if (options.json && options.csv) throw new UserError('CONFIG_INVALID', 'Choose either --json or --csv, not both.');
  return options.json ? 'json' : options.csv ? 'csv' : 'human';
}

export function buildContext(command: Command, scope: string): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const format = outputFormatOf(options);
  const paths = dataPaths(resolveDataDir(options.dataDir));
  const flags: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) if (options[key] !== undefined) flags[key] = options[key];
  if (options.album !== undefined) flags.albums = options.album;
  const loaded = loadSettings({ flags, configPath: options.config, defaultConfigPath: paths.configFile });
  const network = networkOf(command);
  ensureDataDirs(paths);
  const { logFile } = configureLogging({
    logsDir: paths.logsDir,
    fileName: 'cli',
    level: loaded.settings.logLevel,
    console: { level: options.quiet ? 'warn' : loaded.settings.logLevel, withTime: !process.stderr.isTTY },
  });
  const logger = createLogger(`cli.${scope}`);
  logger.debug({ dataDir: paths.root, configFile: loaded.configFile, sources: loaded.sources }, 'settings loaded');
  return { paths, settings: loaded.settings, loaded, format, logger, logFile, network, print: (text) => process.stdout.write(text) };
}

/** The Apple ID, or a CONFIG_INVALID error saying how to give it. */
export function requireAppleId(context: CliContext): string {
  const appleId = context.settings.appleId;
  if (!appleId) {
    throw new UserError('CONFIG_INVALID', 'No Apple ID is set: pass --apple-id, set ICLOUD_PHOTO_SYNC_APPLE_ID, or add "appleId" to the config file.');
  }
  return appleId;
}

export function requireSyncFolder(context: CliContext): string {
  const folder = context.settings.syncFolder;
  if (!folder) {
    throw new UserError('CONFIG_INVALID', 'No sync folder is set: pass --sync-folder, set ICLOUD_PHOTO_SYNC_SYNC_FOLDER, or add "syncFolder" to the config file.');
  }
  return resolve(expandHome(folder));
}
