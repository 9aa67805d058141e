import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretsStore, secretEnvName } from '../../src-main/config/secrets-store.js';
import { UserError } from '../../src-main/config/user-error.js';
import { scrubText } from '../../src-main/log/redact.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ips-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets store', () => {
  it('keeps secrets in a 0600 secrets.json in the data folder and clears them', () => {
    const store = new SecretsStore(dir, {});
    expect(store.get('pushover-token')).toBeUndefined();
    store.set('pushover-token', 'azGDORePK8gMaC0QOYAMyEEuzJnyUi\n');
    expect(store.get('pushover-token')).toBe('azGDORePK8gMaC0QOYAMyEEuzJnyUi');
    expect(store.sourceOf('pushover-token')).toBe('secrets file');
    expect(store.names()).toEqual(['pushover-token']);
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(store.clear('pushover-token')).toBe(true);
    expect(store.clear('pushover-token')).toBe(false);
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({});
  });

  it('prefers ICLOUD_PHOTO_SYNC_<NAME> from the environment, and redacts what it read', () => {
    expect(secretEnvName('ntfy-token')).toBe('ICLOUD_PHOTO_SYNC_NTFY_TOKEN');
    const store = new SecretsStore(dir, { ICLOUD_PHOTO_SYNC_NTFY_TOKEN: 'tk_from_environment_1234' });
    store.set('ntfy-token', 'tk_from_file_5678');
    expect(store.get('ntfy-token')).toBe('tk_from_environment_1234');
    expect(store.sourceOf('ntfy-token')).toBe('environment');
    expect(scrubText('sending tk_from_environment_1234')).not.toContain('tk_from_environment_1234');
  });

  it('refuses bad names, names of settings or the password, and empty or multi-line values', () => {
    const store = new SecretsStore(dir, {});
    for (const name of ['Pushover', 'a b', '../x', 'password', 'apple-id', 'data-dir']) {
      expect(() => store.set(name, 'value-1234'), name).toThrow(UserError);
    }
    expect(() => store.set('pushover-user', '   ')).toThrow(/empty/);
    expect(() => store.set('pushover-user', 'one\ntwo')).toThrow(/one line/);
    expect(store.names()).toEqual([]);
  });

  it('checks the format of Pushover keys when saved: 30 letters and digits', () => {
    const store = new SecretsStore(dir, {});
    expect(() => store.set('pushover-token', 'azGDORePK8gMaC0QOYAMyEEuzJnyU')).toThrow(/30 letters and digits/);
    expect(() => store.set('pushover-user', 'uQiRzpo4DXghDmr9QzzfQu27cmVRs!')).toThrow(/Pushover user or group key/);
    expect(store.names()).toEqual([]);
    store.set('pushover-user', ' uQiRzpo4DXghDmr9QzzfQu27cmVRsG ');
    expect(store.get('pushover-user')).toBe('uQiRzpo4DXghDmr9QzzfQu27cmVRsG');
    // Other secrets (an ntfy token) have no fixed format.
    store.set('ntfy-token', 'tk_anything');
  });
});
