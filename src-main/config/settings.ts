/**
 * Every setting of the product, as one zod schema, plus how each one is named in the environment
 * and on the command line and what values it allows (used in error messages and the docs).
 */
import { z } from 'zod';
import { TEMPLATE_PRESETS, templateProblem } from '../sync/naming/path-template.js';

export const ENV_PREFIX = 'ICLOUD_PHOTO_SYNC_';
export const DEFAULT_LAYOUT = '{yyyy}/{mm}/{dd}/{name}';
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** "90s", "30m", "6h", "1d" -> seconds. */
export function durationSeconds(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** A real calendar date (2024-02-30 is refused, though Date.parse rolls it over to March 1st). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match || Number.isNaN(Date.parse(text))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

const isoDate = z.string().refine(isCalendarDate);

/** How the archive signs in to Azure: Microsoft Entra ID (DefaultAzureCredential), or a secret kept in secrets.json. */
export const ARCHIVE_CREDENTIALS = ['identity', 'connection-string', 'sas-url'] as const;
/** Azure's rule for container names: 3-63 lower-case letters, digits and single hyphens, starting and ending alphanumeric. */
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
/** Why the Archive tier is refused, in the words a user meets when they choose it. */
export const ARCHIVE_TIER_REFUSED =
  '"Archive" is not offered: blobs in the Archive tier cannot be read until they are rehydrated, which takes up to 15 hours (and costs extra), so a restore could not start when you need it; choose "Cold" for the cheapest tier that stays readable at once';

export const settingsSchema = z
  .object({
    appleId: z.string().trim().min(3).optional(),
    syncFolder: z.string().trim().min(1).optional(),
    region: z.enum(['global', 'china']).default('global'),
    // https only: the sign-in carries the SRP proof, scnt and session tokens.
    authHost: z.url({ protocol: /^https$/ }).optional(),
    layout: z
      .string()
      .refine((text) => Object.hasOwn(TEMPLATE_PRESETS, text) || templateProblem(text) === null)
      .default(DEFAULT_LAYOUT),
    concurrency: z.number().int().min(1).max(16).default(6),
    media: z.enum(['all', 'photos', 'videos']).default('all'),
    liveVideos: z.boolean().default(true),
    versions: z.enum(['original', 'edited', 'both']).default('both'),
    rawAlternatives: z.boolean().default(true),
    sharedLibrary: z.boolean().default(true),
    hidden: z.boolean().default(false),
    recent: z.number().int().min(1).optional(),
    after: isoDate.optional(),
    albums: z.array(z.string().trim().min(1)).default([]),
    interval: z
      .string()
      .regex(DURATION)
      .refine((text) => durationSeconds(text) >= 10)
      .default('6h'),
    massDeletionThreshold: z.number().gt(0).max(1).default(0.1),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    passwordSource: z.enum(['auto', 'prompt', 'env', 'file']).default('auto'),
    passwordFile: z.string().trim().min(1).optional(),
    notifyChannels: z.array(z.enum(['desktop', 'pushover', 'ntfy'])).default(['desktop']),
    notifyReminder: z
      .string()
      .regex(DURATION)
      .refine((text) => durationSeconds(text) >= 60)
      .default('4h'),
    trustWarningDays: z.number().int().min(2).max(30).default(7),
    failureRuns: z.number().int().min(1).max(100).default(3),
    failureHours: z.number().int().min(1).max(24 * 30).default(48),
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    ntfyServer: z.url({ protocol: /^https?$/ }).default('https://ntfy.sh'),
    ntfyTopic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/).optional(),
    webAddress: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('127.0.0.1'),
    webPorts: z
      .string()
      .regex(/^\d{1,5}(-\d{1,5})?$/)
      .refine((text) => {
        const [first, last] = portRange(text);
        return first >= 1024 && first <= last && last <= 65_535;
      })
      .default('47620-47639'),
    // The optional off-site archive (src-main/archive/). Its connection string or SAS URL is a
    // secret (secrets.json), never a setting.
    archiveEnabled: z.boolean().default(false),
    archiveAccountUrl: z.url({ protocol: /^https?$/ }).optional(),
    archiveContainer: z.string().regex(CONTAINER_NAME).optional(),
    archiveCredential: z.enum(ARCHIVE_CREDENTIALS).default('identity'),
    // Archive is listed so that choosing it gets its own explanation (rehydration) instead of "not allowed".
    archiveTier: z.enum(['Hot', 'Cool', 'Cold', 'Archive']).refine((tier) => tier !== 'Archive').default('Cool'),
    archivePrefix: z.string().regex(/^[^/\\]+(\/[^/\\]+)*$/).max(200).default('icloud-photos'),
    archiveConcurrency: z.number().int().min(1).max(16).default(4),
    archiveMirror: z.boolean().default(false),
  })
  .strict();

/** "47620-47639" or "47620" as the first and last port. */
export function portRange(text: string): [number, number] {
  const [first, last = first] = text.split('-').map(Number);
  return [first ?? 0, last ?? 0];
}

export type Settings = z.output<typeof settingsSchema>;
export type SettingKey = keyof Settings;

/** How a raw text value (environment, flag) is turned into the schema's type. */
export type SettingKind = 'string' | 'int' | 'number' | 'bool' | 'list';

export interface SettingMeta {
  kind: SettingKind;
  /** What values are allowed, in plain words. */
  allowed: string;
  /** One line for the docs and --help. */
  description: string;
}

export const SETTING_META: Record<SettingKey, SettingMeta> = {
  appleId: { kind: 'string', allowed: 'your Apple ID (an e-mail address or phone number)', description: 'Apple ID to sync' },
  syncFolder: { kind: 'string', allowed: 'a folder path', description: 'folder that receives the photos' },
  region: { kind: 'string', allowed: '"global" or "china" (iCloud in China mainland)', description: 'iCloud region' },
  authHost: {
    kind: 'string',
    allowed: 'an https URL such as https://idmsa.apple.com/appleauth/auth',
    description: 'override of the sign-in service URL (China accounts, see README)',
  },
  layout: {
    kind: 'string',
    allowed: '"date", "flat", "album", or a template ending in /{name} built from {yyyy}, {mm}, {dd}, {album}',
    description: 'folder layout of downloaded files',
  },
  concurrency: { kind: 'int', allowed: 'a whole number from 1 to 16', description: 'parallel downloads' },
  media: { kind: 'string', allowed: '"all", "photos" or "videos"', description: 'which media to download' },
  liveVideos: { kind: 'bool', allowed: 'true or false', description: 'download the video part of Live Photos' },
  versions: {
    kind: 'string',
    allowed: '"original", "edited" or "both"',
    description: 'download originals, edited versions, or both',
  },
  rawAlternatives: { kind: 'bool', allowed: 'true or false', description: 'download both halves of RAW+JPEG pairs' },
  sharedLibrary: { kind: 'bool', allowed: 'true or false', description: 'include the iCloud Shared Photo Library' },
  hidden: { kind: 'bool', allowed: 'true or false', description: 'include the Hidden album' },
  recent: { kind: 'int', allowed: 'a whole number of 1 or more', description: 'only the N most recent items' },
  after: { kind: 'string', allowed: 'a date like 2024-01-31', description: 'only items taken on or after this date' },
  albums: {
    kind: 'list',
    allowed: 'album names (comma-separated in the environment)',
    description: 'only these albums (default: the whole library)',
  },
  interval: {
    kind: 'string',
    allowed: 'a duration of at least 10s, like 90s, 30m, 6h or 1d',
    description: 'time between runs of the daemon',
  },
  massDeletionThreshold: {
    kind: 'number',
    allowed: 'a share above 0 and at most 1, e.g. 0.1 for 10%',
    description: 'stop when more than this share of tracked files vanish at once',
  },
  logLevel: { kind: 'string', allowed: LOG_LEVELS.map((l) => `"${l}"`).join(', '), description: 'log detail' },
  passwordSource: {
    kind: 'string',
    allowed: '"auto", "prompt", "env" or "file"',
    description: `where the Apple ID password comes from (env: ${ENV_PREFIX}PASSWORD)`,
  },
  passwordFile: {
    kind: 'string',
    allowed: 'a path to a file only you can read (chmod 600)',
    description: 'file holding the Apple ID password',
  },
  notifyChannels: {
    kind: 'list',
    allowed: 'any of "desktop", "pushover", "ntfy" (comma-separated in the environment; empty for none)',
    description: 'where nudges go (keys: `secret set pushover-token`, `pushover-user`, `ntfy-token`)',
  },
  notifyReminder: {
    kind: 'string',
    allowed: 'a duration of at least 1m, like 30m, 4h or 1d',
    description: 'remind once after this long when a code or password is still needed',
  },
  trustWarningDays: { kind: 'int', allowed: 'a whole number of days from 2 to 30', description: 'warn this many days before the sign-in ends (again the day before)' },
  failureRuns: { kind: 'int', allowed: 'a whole number from 1 to 100', description: 'nudge after this many failed runs in a row' },
  failureHours: { kind: 'int', allowed: 'a whole number of hours from 1 to 720', description: 'nudge after this many hours without a complete run (once one failed)' },
  publicUrl: {
    kind: 'string',
    allowed: 'an http(s) URL such as http://mypc.lan:8731 (a LAN name or VPN address)',
    description: 'address of this machine\'s page as your phone reaches it (links in notifications)',
  },
  ntfyServer: { kind: 'string', allowed: 'an http(s) URL such as https://ntfy.sh', description: 'ntfy server' },
  ntfyTopic: { kind: 'string', allowed: '1 to 64 letters, digits, "-" or "_"', description: 'ntfy topic (hard to guess on a public server)' },
  webAddress: {
    kind: 'string',
    allowed: 'an IP address of this machine, or "localhost"; anything but 127.0.0.1 or ::1 is reachable from other machines',
    description: 'address of the local web page',
  },
  webPorts: {
    kind: 'string',
    allowed: 'a port or a range like 47620-47639, between 1024 and 65535',
    description: 'ports the local web page tries, in order',
  },
  archiveEnabled: { kind: 'bool', allowed: 'true or false', description: 'archive the sync folder to Azure Blob Storage after each sync' },
  archiveAccountUrl: {
    kind: 'string',
    allowed: 'the storage account\'s blob URL, like https://myaccount.blob.core.windows.net',
    description: 'Azure storage account of the archive (not needed with a connection string or SAS URL)',
  },
  archiveContainer: {
    kind: 'string',
    allowed: 'a container name: 3 to 63 lower-case letters, digits and single hyphens',
    description: 'blob container of the archive (create it first, see README)',
  },
  archiveCredential: {
    kind: 'string',
    allowed: '"identity" (Azure sign-in: managed identity, Azure CLI, environment), "connection-string" or "sas-url" (secrets archive-connection-string / archive-sas-url)',
    description: 'how the archive signs in to Azure',
  },
  archiveTier: {
    kind: 'string',
    allowed: `"Hot", "Cool" or "Cold"; ${ARCHIVE_TIER_REFUSED}`,
    description: 'access tier of archived files (cost, see README)',
  },
  archivePrefix: { kind: 'string', allowed: 'a blob name prefix such as icloud-photos (no leading or trailing /)', description: 'first part of every archived blob name' },
  archiveConcurrency: { kind: 'int', allowed: 'a whole number from 1 to 16', description: 'parallel uploads to the archive' },
  archiveMirror: {
    kind: 'bool',
    allowed: 'true or false',
    description: 'also remove archived copies of files you deleted (with the mass-deletion guard)',
  },
};

export const SETTING_KEYS = Object.keys(SETTING_META) as SettingKey[];

/** appleId -> ICLOUD_PHOTO_SYNC_APPLE_ID */
export function envNameOf(key: SettingKey): string {
  return ENV_PREFIX + key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

/** appleId -> apple-id */
export function flagNameOf(key: SettingKey): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
