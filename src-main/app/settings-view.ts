/** Every setting with its value and where it comes from, for the settings page (read-only when overridden). */
import type { SettingView } from '../../src-shared/commands.js';
import type { LoadedSettings } from '../config/load-settings.js';
import { SETTING_KEYS, SETTING_META } from '../config/settings.js';
import { overriddenBy } from '../config/settings-writer.js';

export function describeSettings(loaded: LoadedSettings): SettingView[] {
  return SETTING_KEYS.map((key) => {
    const setBy = overriddenBy(loaded, key);
    return {
      key,
      value: loaded.settings[key] ?? null,
      source: loaded.sources[key] ?? 'default',
      readOnly: setBy !== null,
      setBy,
      allowed: SETTING_META[key].allowed,
      description: SETTING_META[key].description,
    };
  });
}
