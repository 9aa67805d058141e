/**
 * Where the Apple ID password comes from when a fresh sign-in needs it: a prompt on a terminal,
 * the ICLOUD_PHOTO_SYNC_PASSWORD environment variable, or a file only the user can read.
 * The password is never stored by us; it is registered with the log redaction as soon as it is read.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { registerSecret } from '../log/redact.js';
import { ENV_PREFIX } from './settings.js';
import type { Settings } from './settings.js';
import { IS_WINDOWS, expandHome } from './paths.js';
import { UserError } from './user-error.js';

export const PASSWORD_ENV = `${ENV_PREFIX}PASSWORD`;

export interface PasswordSourceOptions {
  settings: Pick<Settings, 'passwordSource' | 'passwordFile' | 'appleId'>;
  env?: NodeJS.ProcessEnv;
  /** Asks on the terminal without echo; absent when nobody is at a terminal. */
  prompt?: ((question: string) => Promise<string>) | undefined;
}

/** Which source applies, after resolving "auto" (file, then environment, then prompt). */
export function effectivePasswordSource(options: PasswordSourceOptions): 'prompt' | 'env' | 'file' | 'none' {
  const { passwordSource, passwordFile } = options.settings;
  if (passwordSource !== 'auto') return passwordSource;
  if (passwordFile) return 'file';
  if ((options.env ?? process.env)[PASSWORD_ENV]) return 'env';
  return options.prompt ? 'prompt' : 'none';
}

/**
 * The password, or a PASSWORD_REQUIRED error saying how to provide one. Throws
 * PASSWORD_FILE_UNSAFE for a file other users could read.
 */
export async function obtainPassword(options: PasswordSourceOptions): Promise<string> {
  const source = effectivePasswordSource(options);
  let password: string;
  switch (source) {
    case 'file':
      password = readPasswordFile(options.settings.passwordFile ?? '');
      break;
    case 'env':
      password = (options.env ?? process.env)[PASSWORD_ENV] ?? '';
      if (!password) throw new UserError('PASSWORD_REQUIRED', `The environment variable ${PASSWORD_ENV} is empty or not set.`);
      break;
    case 'prompt':
      if (!options.prompt) {
        throw new UserError('PASSWORD_REQUIRED', `No terminal to ask on: set ${PASSWORD_ENV} or a password file (passwordFile).`);
      }
      password = await options.prompt(`Apple ID password for ${options.settings.appleId ?? 'your Apple ID'}: `);
      break;
    case 'none':
      throw new UserError('PASSWORD_REQUIRED', `No terminal to ask on: set ${PASSWORD_ENV} or a password file (passwordFile).`);
  }
  registerSecret(password);
  if (!password) throw new UserError('PASSWORD_REQUIRED', 'The password was empty.');
  return password;
}

/** Reads the first line of a password file, refusing files that others can read. */
export function readPasswordFile(path: string): string {
  const absolute = resolve(expandHome(path));
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    throw new UserError('PASSWORD_FILE_MISSING', `${absolute} does not exist or cannot be read.`);
  }
  if (!stats.isFile()) throw new UserError('PASSWORD_FILE_MISSING', `${absolute} is not a file.`);
  // Windows has no POSIX modes: the file's ACL (the user's profile by default) is what protects it.
  if (!IS_WINDOWS) {
    if ((stats.mode & 0o077) !== 0) {
      throw new UserError('PASSWORD_FILE_UNSAFE', `${absolute} has mode ${(stats.mode & 0o777).toString(8)}; run: chmod 600 ${absolute}`);
    }
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) {
      throw new UserError('PASSWORD_FILE_UNSAFE', `${absolute} belongs to another user; it must be your own file.`);
    }
  }
  const firstLine = readFileSync(absolute, 'utf8').split(/\r?\n/, 1)[0] ?? '';
  registerSecret(firstLine);
  if (!firstLine) throw new UserError('PASSWORD_REQUIRED', `The password file ${absolute} is empty.`);
  return firstLine;
}

/**
 * Where an unattended sign-in (the service renewing a session) gets the Apple ID password. The CLI
 * and the daemon use the settings' file or environment variable; the Electron shell passes one
 * backed by safeStorage that also remembers the password typed into its sign-in.
 */
export interface ApplePasswordSource {
  /** The password, or undefined when this source has none. */
  read(): Promise<string | undefined>;
  /** Keeps the password typed into a sign-in for the next unattended one (only sources that can). */
  remember?(password: string): Promise<void>;
  /** Drops a remembered password (on sign-out). */
  forget?(): Promise<void>;
}

/** The settings' password file or ICLOUD_PHOTO_SYNC_PASSWORD; never a prompt (nobody is at a terminal). */
export function configuredPasswordSource(settings: PasswordSourceOptions['settings'], env: NodeJS.ProcessEnv = process.env): ApplePasswordSource {
  return {
    read: async () => (effectivePasswordSource({ settings, env }) === 'none' ? undefined : obtainPassword({ settings, env })),
  };
}
