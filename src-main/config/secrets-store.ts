/**
 * API keys of optional features (notification services, archive targets) for every host: a 0600
 * `secrets.json` in the data folder, never config.json, never a command-line flag. A service
 * account may give one as ICLOUD_PHOTO_SYNC_<NAME> instead (pushover-token ->
 * ICLOUD_PHOTO_SYNC_PUSHOVER_TOKEN), which wins over the file. Every value read is registered with
 * the log redaction. The Apple session is not kept here (the iCloud client has its own files).
 */
import { join } from 'node:path';
import { readConfigFile } from './load-settings.js';
import { writePrivateFileAtomic } from './paths.js';
import { ENV_PREFIX, SETTING_KEYS, envNameOf } from './settings.js';
import { UserError } from './user-error.js';
import { registerSecret } from '../log/redact.js';

export const SECRETS_FILE = 'secrets.json';
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Environment names the product already uses for something else. */
const RESERVED_ENV = new Set([
  ...SETTING_KEYS.map(envNameOf),
  ...['PASSWORD', 'CONFIG', 'DATA_DIR'].map((suffix) => ENV_PREFIX + suffix),
]);

/** pushover-token -> ICLOUD_PHOTO_SYNC_PUSHOVER_TOKEN */
export function secretEnvName(name: string): string {
  return ENV_PREFIX + name.toUpperCase().replace(/-/g, '_');
}

/** Secrets whose format is known: checked when saved, so a pasted typo is caught at once. */
const SECRET_FORMATS: Record<string, { pattern: RegExp; allowed: string }> = {
  'pushover-token': { pattern: /^[A-Za-z0-9]{30}$/, allowed: 'a Pushover application token: 30 letters and digits' },
  'pushover-user': { pattern: /^[A-Za-z0-9]{30}$/, allowed: 'a Pushover user or group key: 30 letters and digits' },
  'archive-connection-string': {
    pattern: /^(?=.*(AccountName|BlobEndpoint)=)[^;=]+=[^;]*(;[^;=]+=[^;]*)*;?$/,
    allowed: 'an Azure Storage connection string (DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;...)',
  },
  'archive-sas-url': { pattern: /^https?:\/\/[^\s?]+\?\S*\bsig=\S+$/, allowed: 'a SAS URL (https://<account>.blob.core.windows.net/<container>?sv=...&sig=...)' },
};

export function checkSecretName(name: string): void {
  if (!NAME.test(name) || name.length > 64) {
    throw new UserError('CONFIG_INVALID', `"${name}" is not a secret name: use lower-case words joined by "-", like pushover-token.`);
  }
  if (RESERVED_ENV.has(secretEnvName(name))) {
    throw new UserError('CONFIG_INVALID', `"${name}" is a setting or the Apple ID password, not a secret of a feature.`);
  }
}

/** Names no content: the parser's excerpt of a damaged secrets file would be part of a secret. */
function secretsDamaged(path: string, place: string): string {
  return (
    `The secrets file ${path} is damaged: it is not valid JSON${place} (its contents are not shown, they are secret). ` +
    'Fix it in a text editor, or delete it and set each key again with "icloud-photo-sync secret set <name>" or in Settings.'
  );
}

export type SecretSource = 'environment' | 'secrets file';

export class SecretsStore {
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.path = join(dataDir, SECRETS_FILE);
  }

  /** The value, from the environment first, then the file; undefined when neither has it. */
  get(name: string): string | undefined {
    checkSecretName(name);
    const value = this.env[secretEnvName(name)]?.trim() || this.readFile()[name];
    registerSecret(value);
    return value || undefined;
  }

  sourceOf(name: string): SecretSource | null {
    checkSecretName(name);
    if (this.env[secretEnvName(name)]?.trim()) return 'environment';
    return this.readFile()[name] ? 'secrets file' : null;
  }

  /** Names stored in the file (never the values). */
  names(): string[] {
    return Object.keys(this.readFile()).sort();
  }

  set(name: string, value: string): void {
    checkSecretName(name);
    const clean = value.replace(/\r?\n$/, '');
    if (!clean.trim()) throw new UserError('CONFIG_INVALID', `The value for "${name}" is empty: nothing was saved.`);
    if (/[\r\n]/.test(clean)) throw new UserError('CONFIG_INVALID', `The value for "${name}" must be one line: nothing was saved.`);
    const format = SECRET_FORMATS[name];
    if (format && !format.pattern.test(clean.trim())) {
      throw new UserError('CONFIG_INVALID', `The value for "${name}" is not ${format.allowed}: nothing was saved.`);
    }
    registerSecret(clean);
    this.writeFile({ ...this.readFile(), [name]: format ? clean.trim() : clean });
  }

  /** False when nothing was stored under `name`. */
  clear(name: string): boolean {
    checkSecretName(name);
    const secrets = this.readFile();
    if (!(name in secrets)) return false;
    delete secrets[name];
    this.writeFile(secrets);
    return true;
  }

  private readFile(): Record<string, string> {
    const raw = readConfigFile(this.path, false, secretsDamaged) ?? {};
    const secrets: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) if (typeof value === 'string') secrets[name] = value;
    return secrets;
  }

  private writeFile(secrets: Record<string, string>): void {
    writePrivateFileAtomic(this.path, `${JSON.stringify(secrets, null, 2)}\n`);
  }
}
