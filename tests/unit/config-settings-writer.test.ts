import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src-main/config/load-settings.js';
import { saveSettings } from '../../src-main/config/settings-writer.js';
import { SettingError } from '../../src-main/config/user-error.js';

let dir: string;
let configFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ips-writer-'));
  configFile = join(dir, 'config.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const load = (env: NodeJS.ProcessEnv = {}, flags: Record<string, unknown> = {}) => loadSettings({ env, flags, defaultConfigPath: configFile });

function refused(run: () => unknown): SettingError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingError);
    return error as SettingError;
  }
  throw new Error('expected a SettingError');
}

describe('settings writer', () => {
  it('saves only the keys given into the file the loader reads, private to the user', () => {
    writeFileSync(configFile, JSON.stringify({ appleId: 'jane@example.test', hidden: true }));
    const saved = saveSettings(load(), { concurrency: 3, interval: '12h' });
    expect(saved).toEqual({ saved: ['concurrency', 'interval'], configFile });
    const reread = load();
    expect(reread.settings).toMatchObject({ appleId: 'jane@example.test', hidden: true, concurrency: 3, interval: '12h' });
    expect(reread.sources.concurrency).toBe('config file');
    if (process.platform !== 'win32') expect(statSync(configFile).mode & 0o777).toBe(0o600);
  });

  it('removes a key given as null, so its default applies again', () => {
    saveSettings(load(), { concurrency: 3 });
    saveSettings(load(), { concurrency: null });
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({});
    expect(load().settings.concurrency).toBe(6);
  });

  it('refuses an invalid value with the key, the value and what is allowed, and saves nothing', () => {
    saveSettings(load(), { concurrency: 3 });
    const before = readFileSync(configFile, 'utf8');
    const error = refused(() => saveSettings(load(), { interval: '2s', concurrency: 4 }));
    expect(error).toMatchObject({ key: 'interval', value: '2s', code: 'CONFIG_INVALID' });
    expect(error.allowed).toContain('at least 10s');
    expect(error.message).toContain('"interval"');
    expect(readFileSync(configFile, 'utf8')).toBe(before);
  });

  it('refuses an unknown key and a key the environment or a flag overrides, naming where it is set', () => {
    expect(refused(() => saveSettings(load(), { colour: 'blue' })).key).toBe('colour');
    const byEnv = refused(() => saveSettings(load({ ICLOUD_PHOTO_SYNC_INTERVAL: '1h' }), { interval: '2h' }));
    expect(byEnv.message).toContain('ICLOUD_PHOTO_SYNC_INTERVAL');
    const byFlag = refused(() => saveSettings(load({}, { interval: '1h' }), { interval: '2h' }));
    expect(byFlag.message).toContain('--interval');
  });
});
