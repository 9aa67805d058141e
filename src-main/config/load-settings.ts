/**
 * Merges the sources of settings, lowest first: defaults < config file (JSON) < environment
 * (ICLOUD_PHOTO_SYNC_*) < command-line flags, then validates the result as a whole.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENV_PREFIX, SETTING_KEYS, SETTING_META, envNameOf, flagNameOf, settingsSchema } from './settings.js';
import type { SettingKey, SettingKind, Settings } from './settings.js';
import { expandHome } from './paths.js';
import { SettingError, UserError } from './user-error.js';

export const CONFIG_FILE_ENV = `${ENV_PREFIX}CONFIG`;

export type SettingSource = 'default' | 'config file' | 'environment' | 'flag';

export interface LoadSettingsInput {
  /** Flag values by setting key; undefined means "not given". */
  flags?: Partial<Record<SettingKey, unknown>>;
  env?: NodeJS.ProcessEnv;
  /** Explicit config file (--config or ICLOUD_PHOTO_SYNC_CONFIG): must exist. */
  configPath?: string;
  /** The data folder's config file: used when present. */
  defaultConfigPath: string;
  /** The explicit config file may not exist yet (setup creates it). */
  configMayBeNew?: boolean;
}

export interface LoadedSettings {
  settings: Settings;
  /** Where each non-default value came from. */
  sources: Partial<Record<SettingKey, SettingSource>>;
  /** The config file that was read, if any. */
  configFile: string | null;
  /** The config file in use: the one read, or where a save creates it. */
  configPath: string;
}

export function loadSettings(input: LoadSettingsInput): LoadedSettings {
  const env = input.env ?? process.env;
  const merged: Record<string, unknown> = {};
  const sources: Partial<Record<SettingKey, SettingSource>> = {};

  const explicit = input.configPath ?? nonEmpty(env[CONFIG_FILE_ENV]);
  const configFile = explicit ? resolve(expandHome(explicit)) : input.defaultConfigPath;
  const fileValues = readConfigFile(configFile, explicit !== undefined && !input.configMayBeNew);
  for (const [key, value] of Object.entries(fileValues ?? {})) {
    merged[key] = value;
    sources[key as SettingKey] = 'config file';
  }

  for (const key of SETTING_KEYS) {
    const raw = nonEmpty(env[envNameOf(key)]);
    if (raw === undefined) continue;
    merged[key] = coerce(raw, SETTING_META[key].kind);
    sources[key] = 'environment';
  }

  for (const key of SETTING_KEYS) {
    const value = input.flags?.[key];
    if (value === undefined) continue;
    merged[key] = typeof value === 'string' ? coerce(value, SETTING_META[key].kind) : value;
    sources[key] = 'flag';
  }

  const settings = parseSettings(merged, sources, configFile);
  return { settings, sources, configFile: fileValues ? configFile : null, configPath: configFile };
}

/** Validates merged values as a whole; the error names the setting, the value, its source and what is allowed. */
export function parseSettings(merged: Record<string, unknown>, sources: Partial<Record<SettingKey, SettingSource>>, configFile: string): Settings {
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0];
    if (issue?.code === 'unrecognized_keys') {
      throw new UserError('CONFIG_INVALID', `Unknown setting ${issue.keys.map((k) => `"${k}"`).join(', ')} in ${configFile}.`);
    }
    if (typeof key === 'string' && key in SETTING_META) throw invalidValue(key as SettingKey, merged[key], sources);
    throw new UserError('CONFIG_INVALID', parsed.error.message);
  }
  const settings = parsed.data;
  if (settings.passwordSource === 'file' && !settings.passwordFile) {
    throw new UserError('CONFIG_INVALID', 'Setting "passwordSource" is "file" but "passwordFile" is not set: name the file.');
  }
  return settings;
}

function invalidValue(key: SettingKey, value: unknown, sources: Partial<Record<SettingKey, SettingSource>>): SettingError {
  const source = sources[key];
  const where =
    source === 'environment' ? ` (from ${envNameOf(key)})` : source === 'flag' ? ` (from ${flagOf(key)})` : source ? ` (from the ${source})` : '';
  const { allowed } = SETTING_META[key];
  return new SettingError(key, value, allowed, `Setting "${key}"${where} has the value ${JSON.stringify(value)}; allowed: ${allowed}.`);
}

/** The command-line flag of a setting; the album list is given one --album at a time. */
function flagOf(key: SettingKey): string {
  return key === 'albums' ? '--album' : `--${flagNameOf(key)}`;
}

/** The sentence for a file that is not valid JSON; `place` is " near line L, column C" or "". */
export type DamagedFileMessage = (path: string, place: string) => string;

const configDamaged: DamagedFileMessage = (path, place) =>
  `The config file ${path} is not valid JSON${place}. Open it in a text editor and fix it ` +
  '(names and text in double quotes, a comma between entries), or delete it and choose your settings again.';

export function readConfigFile(path: string, mustExist: boolean, damaged: DamagedFileMessage = configDamaged): Record<string, unknown> | null {
  if (!existsSync(path)) {
    if (mustExist) throw new UserError('CONFIG_INVALID', `The config file ${path} does not exist.`);
    return null;
  }
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError('CONFIG_INVALID', damaged(path, placeOfJsonError(text, error as Error)));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError('CONFIG_INVALID', `The config file ${path} must hold one JSON object of settings.`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Where JSON.parse stopped, as a line and column, never the parser's message: on Node 20 that message
 * quotes the text around the fault, which may be a secret (a damaged file holds anything a person
 * pasted, and a value that never parsed cannot be redacted).
 */
function placeOfJsonError(text: string, error: Error): string {
  if (/end of JSON input/i.test(error.message)) return ' (it ends too early)';
  const position = positionOfJsonError(text, error.message);
  if (position === null) return '';
  const before = text.slice(0, position).split('\n');
  return ` near line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** V8 quotes ten characters before an unexpected token ("...<10 chars><token>...") instead of a position. */
const V8_CONTEXT_CHARS = 10;

function positionOfJsonError(text: string, message: string): number | null {
  const stated = /at position (\d+)/.exec(message);
  if (stated) return Number(stated[1]);
  // Only used to find the place in the file; the quoted text itself is never shown.
  const quoted = /^Unexpected token .*?, \.\.\."([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (!quoted) return null;
  const at = text.indexOf(quoted[1]!);
  return at >= 0 && text.indexOf(quoted[1]!, at + 1) < 0 ? at + V8_CONTEXT_CHARS : null;
}

/** Text -> typed value; text that does not fit is passed on unchanged so validation names it. */
export function coerce(raw: string, kind: SettingKind): unknown {
  const text = raw.trim();
  switch (kind) {
    case 'int':
    case 'number':
      return text !== '' && Number.isFinite(Number(text)) ? Number(text) : raw;
    case 'bool':
      if (/^(true|1|yes|on)$/i.test(text)) return true;
      if (/^(false|0|no|off)$/i.test(text)) return false;
      return raw;
    case 'list':
      return text === '' ? [] : text.split(',').map((part) => part.trim());
    case 'string':
      return text;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
