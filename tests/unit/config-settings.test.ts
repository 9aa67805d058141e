import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src-main/config/load-settings.js';
import { DEFAULT_LAYOUT, SETTING_KEYS, durationSeconds, envNameOf, portRange } from '../../src-main/config/settings.js';
import { UserError } from '../../src-main/config/user-error.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ips-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const load = (options: { flags?: Record<string, unknown>; env?: NodeJS.ProcessEnv; file?: unknown; configPath?: string }) => {
  const defaultConfigPath = join(dir, 'config.json');
  if (options.file !== undefined) writeFileSync(defaultConfigPath, typeof options.file === 'string' ? options.file : JSON.stringify(options.file));
  return loadSettings({ flags: options.flags, env: options.env ?? {}, defaultConfigPath, configPath: options.configPath });
};

function configError(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('CONFIG_INVALID');
    return error as UserError;
  }
  throw new Error('expected a CONFIG_INVALID error');
}

describe('settings', () => {
  it('has documented defaults when nothing is configured', () => {
    const { settings, configFile } = load({});
    expect(configFile).toBeNull();
    expect(settings).toMatchObject({ region: 'global', layout: DEFAULT_LAYOUT, concurrency: 6, media: 'all', hidden: false, albums: [], interval: '6h', logLevel: 'info' });
  });

  it('notification settings: defaults, a list from the environment, and bad values refused naming the key', () => {
    expect(load({}).settings).toMatchObject({ notifyChannels: ['desktop'], notifyReminder: '4h', trustWarningDays: 7, failureRuns: 3, failureHours: 48, ntfyServer: 'https://ntfy.sh' });
    const fromEnv = load({ env: { ICLOUD_PHOTO_SYNC_NOTIFY_CHANNELS: 'pushover, ntfy', ICLOUD_PHOTO_SYNC_NTFY_TOPIC: 'photos-a8Kq2' } }).settings;
    expect(fromEnv).toMatchObject({ notifyChannels: ['pushover', 'ntfy'], ntfyTopic: 'photos-a8Kq2' });
    expect(configError(() => load({ file: { notifyChannels: ['email'] } })).message).toContain('notifyChannels');
    expect(configError(() => load({ file: { publicUrl: 'mypc.lan:8731' } })).message).toContain('publicUrl');
    expect(configError(() => load({ file: { ntfyTopic: 'my topic' } })).message).toContain('ntfyTopic');
    expect(configError(() => load({ file: { notifyReminder: '10s' } })).message).toContain('at least 1m');
  });

  it('merges defaults < config file < environment < flags', () => {
    const { settings, sources } = load({
      file: { concurrency: 2, region: 'china', hidden: true, appleId: 'file@example.com' },
      env: { [envNameOf('concurrency')]: '3', [envNameOf('hidden')]: 'false', [envNameOf('albums')]: 'Trips, Family' },
      flags: { concurrency: '4' },
    });
    expect(settings.concurrency).toBe(4);
    expect(settings.hidden).toBe(false);
    expect(settings.region).toBe('china');
    expect(settings.appleId).toBe('file@example.com');
    expect(settings.albums).toEqual(['Trips', 'Family']);
    expect(sources).toMatchObject({ concurrency: 'flag', hidden: 'environment', region: 'config file' });
  });

  it('names the key, the value and what is allowed for a bad environment value', () => {
    const error = configError(() => load({ env: { ICLOUD_PHOTO_SYNC_CONCURRENCY: '40' } }));
    expect(error.message).toContain('"concurrency"');
    expect(error.message).toContain('ICLOUD_PHOTO_SYNC_CONCURRENCY');
    expect(error.message).toContain('40');
    expect(error.message).toContain('from 1 to 16');
  });

  it.each([
    ['region', 'mars', 'global'],
    ['media', 'gifs', 'photos'],
    ['liveVideos', 'perhaps', 'true or false'],
    ['after', 'last tuesday', '2024-01-31'],
    ['interval', '5s', 'at least 10s'],
    ['massDeletionThreshold', '2', 'at most 1'],
    ['layout', '{yyyy}/{mm}', '{name}'],
    ['authHost', 'http://idmsa.apple.com/appleauth/auth', 'an https URL'],
  ])('rejects %s=%s', (key, value, allowedHint) => {
    const error = configError(() => load({ flags: { [key]: value } }));
    expect(error.message).toContain(`"${key}"`);
    expect(error.message).toContain(value);
    expect(error.message).toContain(allowedHint);
  });

  it('rejects unknown keys and broken JSON in the config file, naming the file', () => {
    expect(configError(() => load({ file: { concurency: 3 } })).message).toContain('"concurency"');
    expect(configError(() => load({ file: '{ not json' })).message).toContain('not valid JSON');
    expect(configError(() => load({ file: '[1,2]' })).message).toContain('one JSON object');
  });

  it('requires an explicitly named config file to exist, from flag or environment', () => {
    expect(configError(() => load({ configPath: join(dir, 'missing.json') })).message).toContain('missing.json');
    expect(configError(() => load({ env: { ICLOUD_PHOTO_SYNC_CONFIG: join(dir, 'gone.json') } })).message).toContain('gone.json');
  });

  it('requires a password file when the password source is "file"', () => {
    expect(configError(() => load({ flags: { passwordSource: 'file' } })).message).toContain('passwordFile');
  });

  it('gives every setting an environment variable name', () => {
    expect(SETTING_KEYS.map(envNameOf)).toContain('ICLOUD_PHOTO_SYNC_MASS_DELETION_THRESHOLD');
    expect(new Set(SETTING_KEYS.map(envNameOf)).size).toBe(SETTING_KEYS.length);
  });

  it('converts durations to seconds', () => {
    expect(durationSeconds('90s')).toBe(90);
    expect(durationSeconds('30m')).toBe(1800);
    expect(durationSeconds('6h')).toBe(21600);
    expect(durationSeconds('1d')).toBe(86400);
  });
});

describe('web page settings', () => {
  it('default to loopback and a port range, and refuse a bad address or range naming what is allowed', () => {
    const loaded = load({});
    expect(loaded.settings.webAddress).toBe('127.0.0.1');
    expect(portRange(loaded.settings.webPorts)).toEqual([47_620, 47_639]);
    expect(portRange(load({ env: { ICLOUD_PHOTO_SYNC_WEB_PORTS: '5000' } }).settings.webPorts)).toEqual([5000, 5000]);
    for (const webPorts of ['80', '5000-4000', '5000-70000', 'any']) {
      expect(configError(() => load({ file: { webPorts } })).message).toContain('between 1024 and 65535');
    }
    expect(configError(() => load({ file: { webAddress: 'my-laptop' } })).message).toContain('an IP address of this machine');
  });
});
