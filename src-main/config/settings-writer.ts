/**
 * Saves settings into the config file the CLI reads (one file for the CLI and the app): only the
 * keys given change, the file as a whole is validated first, and it is replaced atomically. A key
 * set by the environment or a flag is refused: saving it would change nothing the user sees.
 */
import { parseSettings, readConfigFile, type LoadedSettings } from './load-settings.js';
import { writePrivateFileAtomic } from './paths.js';
import { SETTING_KEYS, SETTING_META, envNameOf, flagNameOf, type SettingKey } from './settings.js';
import { SettingError } from './user-error.js';

export interface SavedSettings {
  saved: SettingKey[];
  configFile: string;
}

/** Where an overriding value comes from, in words a person can act on; null when the file's value counts. */
export function overriddenBy(loaded: Pick<LoadedSettings, 'sources'>, key: SettingKey): string | null {
  const source = loaded.sources[key];
  if (source === 'environment') return `the environment variable ${envNameOf(key)}`;
  if (source === 'flag') return `the command-line flag --${key === 'albums' ? 'album' : flagNameOf(key)}`;
  return null;
}

/**
 * Writes `values` (null or undefined removes a key, back to its default) into the config file of
 * `loaded`. Throws a SettingError naming the key, the value and what is allowed; nothing is written then.
 */
export function saveSettings(loaded: Pick<LoadedSettings, 'configPath' | 'sources'>, values: Record<string, unknown>): SavedSettings {
  const configFile = loaded.configPath;
  const keys = Object.keys(values);
  for (const key of keys) {
    if (!(SETTING_KEYS as string[]).includes(key)) {
      throw new SettingError(key, values[key], `one of ${SETTING_KEYS.join(', ')}`, `There is no setting "${key}".`);
    }
    const by = overriddenBy(loaded, key as SettingKey);
    if (by) {
      throw new SettingError(key, values[key], SETTING_META[key as SettingKey].allowed, `Setting "${key}" is set by ${by}; change it there.`);
    }
  }
  const file = { ...(readConfigFile(configFile, false) ?? {}) };
  for (const key of keys) {
    if (values[key] === null || values[key] === undefined) delete file[key];
    else file[key] = values[key];
  }
  // The file must be valid on its own: the CLI reads it without the app's other sources.
  const sources = Object.fromEntries(keys.map((key) => [key, 'config file' as const]));
  parseSettings(file, sources, configFile);
  writePrivateFileAtomic(configFile, `${JSON.stringify(file, null, 2)}\n`);
  return { saved: keys as SettingKey[], configFile };
}
