import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { checkManifests } from '../../build/winget/check-manifests.js';
import { fillManifests } from '../../build/winget/fill-manifests.js';
import { DefaultLocaleManifest, InstallerManifest, VersionManifest } from '../../build/winget/manifest-schema.js';
import { REPO_ROOT } from './offline-build.js';

const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; description: string };
const VERSION = '1.2.3';
const INSTALLER_NAME = `icloud-photo-sync-setup-${VERSION}.exe`;
const INSTALLER_URL = `https://github.com/icloud-photo-sync/icloud-photo-sync/releases/download/v${VERSION}/${INSTALLER_NAME}`;

describe('WinGet manifests (build/winget)', () => {
  let work: string;
  let installerPath: string;
  let dir: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'ips-winget-'));
    installerPath = path.join(work, INSTALLER_NAME);
    writeFileSync(installerPath, Buffer.from('MZ a stand-in installer: only its bytes matter for the hash'));
    dir = fillManifests({ installerPath, installerUrl: INSTALLER_URL, version: VERSION, releaseDate: '2026-12-04', outDir: path.join(work, 'out') });
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("writes the version's three manifests in the community repository's layout", () => {
    expect(path.relative(path.join(work, 'out'), dir).split(path.sep)).toEqual(['manifests', 'i', 'iCloudPhotoSync', 'iCloudPhotoSync', VERSION]);
    expect(readdirSync(dir).sort()).toEqual([
      'iCloudPhotoSync.iCloudPhotoSync.installer.yaml',
      'iCloudPhotoSync.iCloudPhotoSync.locale.en-US.yaml',
      'iCloudPhotoSync.iCloudPhotoSync.yaml',
    ]);
    for (const name of readdirSync(dir)) expect(readFileSync(path.join(dir, name), 'utf8')).not.toMatch(/\{\{|Template:/);
  });

  it('fills the SHA-256 of the installer file, its URL and the version; the manifests pass our 1.10.0 schema and agree', () => {
    const manifests = checkManifests(dir);
    const sha256 = createHash('sha256').update(readFileSync(installerPath)).digest('hex').toUpperCase();
    expect(manifests.installer.Installers.map((entry) => [entry.Scope, entry.InstallerUrl, entry.InstallerSha256])).toEqual([
      ['user', INSTALLER_URL, sha256],
      ['machine', INSTALLER_URL, sha256],
    ]);
    expect(manifests.installer.InstallerType).toBe('nullsoft');
    expect(manifests.installer.Installers.map((entry) => entry.InstallerSwitches?.Custom)).toEqual(['/currentuser', '/allusers']);
    expect(manifests.version.PackageVersion).toBe(VERSION);
    expect(manifests.locale).toMatchObject({ PackageName: 'iCloud Photo Sync', License: 'MIT', ShortDescription: packageJson.description });
    expect(manifests.locale.ReleaseNotesUrl).toBe(`https://github.com/icloud-photo-sync/icloud-photo-sync/releases/tag/v${VERSION}`);
    expect(manifests.locale.Tags?.length).toBeGreaterThan(0);
  });

  it("points at the file name electron-builder gives the installer", () => {
    const config = parse(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as { nsis: { artifactName: string } };
    expect(config.nsis.artifactName.replace('${name}', 'icloud-photo-sync').replace('${version}', VERSION).replace('${ext}', 'exe')).toBe(INSTALLER_NAME);
  });

  it('the schema refuses what Microsoft documents as invalid', () => {
    const installer = parse(readFileSync(path.join(dir, 'iCloudPhotoSync.iCloudPhotoSync.installer.yaml'), 'utf8')) as Record<string, unknown>;
    const installers = installer.Installers as Record<string, unknown>[];
    const variants: [string, unknown][] = [
      ['a short hash', { ...installer, Installers: [{ ...installers[0], InstallerSha256: 'ABC123' }] }],
      ['a non-hex hash', { ...installer, Installers: [{ ...installers[0], InstallerSha256: 'G'.repeat(64) }] }],
      ['an unknown InstallerType', { ...installer, InstallerType: 'nsis' }],
      ['an unknown Scope', { ...installer, Installers: [{ ...installers[0], Scope: 'everyone' }] }],
      ['an http-less URL', { ...installer, Installers: [{ ...installers[0], InstallerUrl: 'ftp://example.com/x.exe' }] }],
      ['no installers', { ...installer, Installers: [] }],
      ['a misspelt field', { ...installer, InstallerTyp: 'nullsoft' }],
      ['another manifest version', { ...installer, ManifestVersion: '1.9.0' }],
    ];
    for (const [what, manifest] of variants) expect(InstallerManifest.safeParse(manifest).success, what).toBe(false);

    const version = parse(readFileSync(path.join(dir, 'iCloudPhotoSync.iCloudPhotoSync.yaml'), 'utf8')) as Record<string, unknown>;
    for (const id of ['iCloudPhotoSync', 'a.b c', 'a..b', `${'x'.repeat(33)}.y`, 'a/b.c']) {
      expect(VersionManifest.safeParse({ ...version, PackageIdentifier: id }).success, id).toBe(false);
    }
    expect(VersionManifest.safeParse({ ...version, PackageVersion: '1.0:beta' }).success).toBe(false);
    const locale = parse(readFileSync(path.join(dir, 'iCloudPhotoSync.iCloudPhotoSync.locale.en-US.yaml'), 'utf8')) as Record<string, unknown>;
    const { License: _license, ...withoutLicense } = locale;
    expect(DefaultLocaleManifest.safeParse(withoutLicense).success).toBe(false);
    expect(DefaultLocaleManifest.safeParse({ ...locale, Tags: ['sync', 'sync'] }).success).toBe(false);
    expect(DefaultLocaleManifest.safeParse({ ...locale, PackageLocale: 'english' }).success).toBe(false);
  });

  it('the cross-file check catches manifests that disagree', () => {
    const copy = path.join(work, 'disagree', VERSION);
    cpSync(dir, copy, { recursive: true });
    const file = path.join(copy, 'iCloudPhotoSync.iCloudPhotoSync.locale.en-US.yaml');
    const header = readFileSync(file, 'utf8').split('\n')[0];
    const locale = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, `${header}\n${stringify({ ...locale, PackageVersion: '1.2.4' })}`);
    expect(() => checkManifests(copy)).toThrow(/PackageVersion 1\.2\.4 differs from 1\.2\.3/);
  });

  it('refuses to fill from a URL that is not the installer, a plain-http URL or a missing file', () => {
    const options = { installerPath, installerUrl: INSTALLER_URL, version: VERSION, releaseDate: '2026-12-04', outDir: path.join(work, 'refused') };
    expect(() => fillManifests({ ...options, installerUrl: INSTALLER_URL.replace('setup-1.2.3', 'setup-1.2.2') })).toThrow(/file name/);
    expect(() => fillManifests({ ...options, installerUrl: INSTALLER_URL.replace('https:', 'http:') })).toThrow(/https/);
    expect(() => fillManifests({ ...options, installerPath: path.join(work, 'missing.exe') })).toThrow(/does not exist/);
    expect(() => fillManifests({ ...options, version: 'v1.2' })).toThrow(/MAJOR\.MINOR\.PATCH/);
  });
});
