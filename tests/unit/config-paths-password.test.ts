import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountFileStem } from '../../src-main/config/account-key.js';
import { dataPaths, ensureDataDirs, resolveDataDir, writePrivateFileAtomic } from '../../src-main/config/paths.js';
import { PASSWORD_ENV, obtainPassword, readPasswordFile } from '../../src-main/config/password-source.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ips-paths-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;
const settings = { passwordSource: 'auto' as const, passwordFile: undefined as string | undefined, appleId: 'me@example.com' };

const WINDOWS_HAS_NO_MODES = 'Windows has no POSIX file modes (the profile folder\'s ACL protects these files)';

describe('data folder', () => {
  it('defaults to ~/.icloud_photo_sync, overridden by environment then flag', () => {
    expect(resolveDataDir(undefined, {})).toBe(join(homedir(), '.icloud_photo_sync'));
    expect(resolveDataDir(undefined, { ICLOUD_PHOTO_SYNC_DATA_DIR: join(dir, 'env') })).toBe(join(dir, 'env'));
    expect(resolveDataDir(join(dir, 'flag'), { ICLOUD_PHOTO_SYNC_DATA_DIR: join(dir, 'env') })).toBe(join(dir, 'flag'));
  });

  it('creates private folders (0700) and files (0600)', ({ skip }) => {
    skip(process.platform === 'win32', WINDOWS_HAS_NO_MODES);
    const paths = dataPaths(join(dir, 'data'));
    ensureDataDirs(paths);
    for (const folder of [paths.root, paths.sessionsDir, paths.trackersDir, paths.logsDir]) expect(mode(folder)).toBe(0o700);
    const file = join(paths.sessionsDir, 'x.json');
    writePrivateFileAtomic(file, '{}');
    expect(mode(file)).toBe(0o600);
  });

  it('gives each Apple ID a distinct, file-safe slug', () => {
    const slug = accountFileStem('Jane.Doe@Example.com');
    expect(slug).toMatch(/^jane-doe-example-com-[0-9a-f]{8}$/);
    expect(accountFileStem(' jane.doe@example.com ')).toBe(slug);
    expect(accountFileStem('jane-doe@example.com')).not.toBe(slug);
    expect(accountFileStem('janedoe@example.com')).not.toBe(slug);
    expect(accountFileStem('../../etc')).toMatch(/^etc-[0-9a-f]{8}$/);
  });
});

describe('password source', () => {
  it('refuses a password file others can read, accepts a 0600 one', ({ skip }) => {
    skip(process.platform === 'win32', WINDOWS_HAS_NO_MODES);
    const file = join(dir, 'pw');
    writeFileSync(file, 'correct horse\n');
    chmodSync(file, 0o644);
    expect(() => readPasswordFile(file)).toThrow(expect.objectContaining({ code: 'PASSWORD_FILE_UNSAFE' }));
    chmodSync(file, 0o600);
    expect(readPasswordFile(file)).toBe('correct horse');
  });

  it('prefers a password file, then the environment, then the prompt', async () => {
    const file = join(dir, 'pw');
    writeFileSync(file, 'from-file', { mode: 0o600 });
    const prompt = async () => 'from-prompt';
    const env = { [PASSWORD_ENV]: 'from-env' };
    expect(await obtainPassword({ settings: { ...settings, passwordFile: file }, env, prompt })).toBe('from-file');
    expect(await obtainPassword({ settings, env, prompt })).toBe('from-env');
    expect(await obtainPassword({ settings, env: {}, prompt })).toBe('from-prompt');
  });

  it('says how to provide a password when there is no terminal and nothing configured', async () => {
    await expect(obtainPassword({ settings, env: {} })).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    await expect(obtainPassword({ settings: { ...settings, passwordSource: 'env' }, env: {} })).rejects.toThrow(PASSWORD_ENV);
  });
});
