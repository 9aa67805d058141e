/**
 * The Apple ID password kept for unattended re-sign-ins, encrypted with Electron's safeStorage (the
 * OS keychain: DPAPI on Windows, the Secret Service or KWallet on Linux) in one file of the data
 * folder. On a Linux desktop without a keyring safeStorage falls back to `basic_text`, a fixed key
 * anyone could use: then nothing is stored, and the app says why and asks for the password when needed.
 */
import { existsSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApplePasswordSource } from '../config/password-source.js';
import { writeFileAtomic } from '../icloud/session/atomic-write.js';
import { registerSecret } from '../log/redact.js';
import type { ElectronApis } from './electron-apis.js';

/** The encrypted password, base64: useless without this user's keychain. */
export const PASSWORD_FILE = 'apple-password.enc';

export const NO_KEYRING_REASON =
  'This desktop has no keyring (such as GNOME Keyring or KWallet) for the app to lock the password with, so it is not stored: the app asks for it when Apple wants it again.';

export interface PasswordStorage {
  available: boolean;
  reason: string | null;
}

export class SafeStoragePassword implements ApplePasswordSource {
  private readonly file: string;

  constructor(
    private readonly safeStorage: ElectronApis['safeStorage'],
    dataDir: string,
    private readonly platform: NodeJS.Platform,
  ) {
    this.file = path.join(dataDir, PASSWORD_FILE);
  }

  /** Whether a password can be stored safely here, and in plain words why not. */
  async storage(): Promise<PasswordStorage> {
    if (this.platform === 'linux' && this.safeStorage.getSelectedStorageBackend() === 'basic_text') return { available: false, reason: NO_KEYRING_REASON };
    if (!(await this.safeStorage.isAsyncEncryptionAvailable())) {
      return { available: false, reason: 'The system cannot encrypt data for this app right now, so the password is not stored: the app asks for it when Apple wants it again.' };
    }
    return { available: true, reason: null };
  }

  async read(): Promise<string | undefined> {
    if (!existsSync(this.file) || !(await this.storage()).available) return undefined;
    try {
      const { result, shouldReEncrypt } = await this.safeStorage.decryptStringAsync(Buffer.from(await readFile(this.file, 'utf8'), 'base64'));
      registerSecret(result);
      if (shouldReEncrypt) await this.remember(result);
      return result;
    } catch {
      // Encrypted under another user or keyring: useless here, and asked for again.
      return undefined;
    }
  }

  async remember(password: string): Promise<void> {
    registerSecret(password);
    if (!(await this.storage()).available) return;
    await writeFileAtomic(this.file, (await this.safeStorage.encryptStringAsync(password)).toString('base64'));
  }

  forget(): Promise<void> {
    rmSync(this.file, { force: true });
    return Promise.resolve();
  }

}
