/**
 * Reads one version's three WinGet manifests from a folder, validates each against our schema of
 * Microsoft's 1.10.0 rules (manifest-schema.ts) and checks that they agree with each other: one
 * identifier and version, file names that match them, the default locale that has a locale file,
 * and installers that all point at the same file with the same hash. Throws with every problem found.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { DefaultLocaleManifest, InstallerManifest, MANIFEST_VERSION, VersionManifest } from './manifest-schema.js';

export interface ManifestSet {
  version: z.infer<typeof VersionManifest>;
  installer: z.infer<typeof InstallerManifest>;
  locale: z.infer<typeof DefaultLocaleManifest>;
}

function readManifest<T extends z.ZodType>(file: string, type: string, schema: T, problems: string[]): z.infer<T> | null {
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(`# yaml-language-server: $schema=https://aka.ms/winget-manifest.${type}.${MANIFEST_VERSION}.schema.json\n`)) {
    problems.push(`${path.basename(file)}: first line must name the ${type} ${MANIFEST_VERSION} schema`);
  }
  const result = schema.safeParse(parse(text));
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${path.basename(file)}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return null;
  }
  return result.data;
}

export function checkManifests(dir: string): ManifestSet {
  const problems: string[] = [];
  const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
  const versionFile = files.find((name) => !name.includes('.installer.') && !name.includes('.locale.'));
  const installerFile = files.find((name) => name.endsWith('.installer.yaml'));
  const localeFiles = files.filter((name) => name.includes('.locale.'));
  if (!versionFile || !installerFile || localeFiles.length !== 1 || files.length !== 3) {
    throw new Error(`${dir} must hold exactly a version, an installer and one locale manifest, found: ${files.join(', ') || 'nothing'}`);
  }
  const version = readManifest(path.join(dir, versionFile), 'version', VersionManifest, problems);
  const installer = readManifest(path.join(dir, installerFile), 'installer', InstallerManifest, problems);
  const locale = readManifest(path.join(dir, localeFiles[0]!), 'defaultLocale', DefaultLocaleManifest, problems);
  if (version && installer && locale) {
    const id = version.PackageIdentifier;
    for (const [name, manifest] of [[installerFile, installer], [localeFiles[0], locale]] as const) {
      if (manifest.PackageIdentifier !== id) problems.push(`${name}: PackageIdentifier ${manifest.PackageIdentifier} differs from ${id}`);
      if (manifest.PackageVersion !== version.PackageVersion) problems.push(`${name}: PackageVersion ${manifest.PackageVersion} differs from ${version.PackageVersion}`);
    }
    const expectedNames = [`${id}.yaml`, `${id}.installer.yaml`, `${id}.locale.${version.DefaultLocale}.yaml`];
    for (const name of [versionFile, installerFile, localeFiles[0]!]) {
      if (!expectedNames.includes(name)) problems.push(`${name}: file name does not match ${id} and default locale ${version.DefaultLocale}`);
    }
    if (locale.PackageLocale !== version.DefaultLocale) problems.push(`default locale ${version.DefaultLocale} has no locale manifest (found ${locale.PackageLocale})`);
    if (path.basename(dir) !== version.PackageVersion) problems.push(`folder ${path.basename(dir)} is not the version ${version.PackageVersion}`);
    const hashes = new Set(installer.Installers.map((entry) => entry.InstallerSha256.toUpperCase()));
    const urls = new Set(installer.Installers.map((entry) => entry.InstallerUrl));
    if (hashes.size !== 1 || urls.size !== 1) problems.push('installers for each scope must share one InstallerUrl and InstallerSha256 (one NSIS file serves both)');
    const scopes = installer.Installers.map((entry) => entry.Scope).sort();
    if (scopes.join(',') !== 'machine,user') problems.push(`installers must offer the user and machine scopes, found ${scopes.join(', ')}`);
  }
  if (problems.length > 0) throw new Error(`WinGet manifests in ${dir} are not valid:\n- ${problems.join('\n- ')}`);
  return { version: version!, installer: installer!, locale: locale! };
}
