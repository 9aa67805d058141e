/**
 * Our own schema for the WinGet manifests we publish, written from the rules Microsoft documents for
 * manifest version 1.10.0 (winget-cli's JSON schemas for the version, installer and defaultLocale
 * manifests): required fields, identifier, version, locale and URL patterns, enum values, lengths and a
 * 64-hex SHA-256. It covers the fields our manifests use and refuses any other, so a misspelt field
 * fails here instead of in the community repository's validation.
 */
import { z } from 'zod';

export const MANIFEST_VERSION = '1.10.0';

// Segments without dots, whitespace or \ / : * ? " < > | and control characters; 2 to 8 segments.
const IDENTIFIER_SEGMENT = '[^.\\s\\\\/:*?"<>|\\x01-\\x1f]{1,32}';
const PackageIdentifier = z
  .string()
  .max(128)
  .regex(new RegExp(`^${IDENTIFIER_SEGMENT}(\\.${IDENTIFIER_SEGMENT}){1,7}$`), 'not a valid PackageIdentifier');
const PackageVersion = z
  .string()
  .max(128)
  // eslint-disable-next-line no-control-regex -- Microsoft's pattern refuses control characters
  .regex(/^[^\\/:*?"<>|\x01-\x1f]+$/, 'not a valid PackageVersion');
const Locale = z
  .string()
  .max(20)
  .regex(/^([a-zA-Z]{2,3}|[iI]-[a-zA-Z]+|[xX]-[a-zA-Z]{1,8})(-[a-zA-Z]{1,8})*$/, 'not a valid locale');
const Url = z
  .string()
  .max(2048)
  .regex(/^([Hh][Tt][Tt][Pp][Ss]?):\/\/.+$/, 'not an http(s) URL');
const Sha256 = z.string().regex(/^[A-Fa-f0-9]{64}$/, 'not a 64-hex SHA-256');
const VersionPart = '(0|[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const ManifestVersion = z.literal(MANIFEST_VERSION);
const MinimumOSVersion = z.string().regex(new RegExp(`^${VersionPart}(\\.${VersionPart}){0,3}$`), 'not a Windows version');
const ReleaseDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'not a YYYY-MM-DD date');
const Tag = z.string().min(1).max(40);

const InstallerType = z.enum(['msix', 'msi', 'appx', 'exe', 'zip', 'inno', 'nullsoft', 'wix', 'burn', 'pwa', 'portable', 'advinstExe', 'advinstMsi']);
const Architecture = z.enum(['x86', 'x64', 'arm', 'arm64', 'neutral']);
const Scope = z.enum(['user', 'machine']);
const InstallMode = z.enum(['interactive', 'silent', 'silentWithProgress']);
const UpgradeBehavior = z.enum(['install', 'uninstallPrevious', 'deny']);
const ElevationRequirement = z.enum(['elevationRequired', 'elevationProhibited', 'elevatesSelf']);
const Platform = z.enum(['Windows.Desktop', 'Windows.Universal']);

const Switch = z.string().min(1).max(512);
const InstallerSwitches = z
  .object({
    Silent: Switch,
    SilentWithProgress: Switch,
    Interactive: Switch,
    InstallLocation: Switch,
    Log: Switch,
    Upgrade: Switch,
    Custom: z.string().min(1).max(2048),
    Repair: Switch,
  })
  .partial()
  .strict();

const unique = <T>(items: T[]) => new Set(items).size === items.length;

const Installer = z
  .object({
    Architecture,
    InstallerUrl: Url,
    InstallerSha256: Sha256,
    InstallerType: InstallerType.optional(),
    Scope: Scope.optional(),
    InstallerSwitches: InstallerSwitches.optional(),
    ElevationRequirement: ElevationRequirement.optional(),
  })
  .strict();

export const VersionManifest = z
  .object({
    PackageIdentifier,
    PackageVersion,
    DefaultLocale: Locale,
    ManifestType: z.literal('version'),
    ManifestVersion,
  })
  .strict();

export const InstallerManifest = z
  .object({
    PackageIdentifier,
    PackageVersion,
    InstallerLocale: Locale.optional(),
    Platform: z.array(Platform).max(2).refine(unique, 'Platform entries must be unique').optional(),
    MinimumOSVersion: MinimumOSVersion.optional(),
    InstallerType: InstallerType.optional(),
    InstallModes: z.array(InstallMode).max(3).refine(unique, 'InstallModes must be unique').optional(),
    UpgradeBehavior: UpgradeBehavior.optional(),
    ReleaseDate: ReleaseDate.optional(),
    ProductCode: z.string().min(1).max(255).optional(),
    Installers: z.array(Installer).min(1).max(1024),
    ManifestType: z.literal('installer'),
    ManifestVersion,
  })
  .strict()
  .refine((manifest) => manifest.Installers.every((installer) => (installer.InstallerType ?? manifest.InstallerType) !== undefined), {
    message: 'InstallerType is required at the root or on every installer',
  });

export const DefaultLocaleManifest = z
  .object({
    PackageIdentifier,
    PackageVersion,
    PackageLocale: Locale,
    Publisher: z.string().min(2).max(256),
    PublisherUrl: Url.optional(),
    PublisherSupportUrl: Url.optional(),
    PackageName: z.string().min(2).max(256),
    PackageUrl: Url.optional(),
    License: z.string().min(3).max(512),
    LicenseUrl: Url.optional(),
    ShortDescription: z.string().min(3).max(256),
    Description: z.string().min(3).max(10000).optional(),
    Moniker: Tag.optional(),
    Tags: z.array(Tag).max(16).refine(unique, 'Tags must be unique').optional(),
    ReleaseNotesUrl: Url.optional(),
    ManifestType: z.literal('defaultLocale'),
    ManifestVersion,
  })
  .strict();
