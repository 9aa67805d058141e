// Both packagers in one file, one after the other: the Linux build plants files in dist/ for a moment,
// which a concurrent build would pick up half-way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { listPackage } from '@electron/asar';
import { describePosixOnly } from '../support/platform-skips.js';
import { REPO_ROOT, STUB_DEFAULT_FUSE_WIRE, buildLinuxDeb, ensureBuilt, resolveNsisInstaller, type LinuxBuild, type NsisResolution } from './offline-build.js';

const require = createRequire(import.meta.url);
const config = parseYaml(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as {
  electronFuses: Record<string, boolean>;
  linux: { maintainer: string };
};
const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; homepage: string };

/** @electron/fuses reads each fuse back as the wire's byte: '0' off, '1' on. */
const FUSE_OFF = '0'.charCodeAt(0);
const FUSE_ON = '1'.charCodeAt(0);

/** Files a developer's checkout can hold that must never reach a package; planted in dist/ for the build. */
const PLANTED = ['dist/node/src-main/__planted__/.env', 'dist/node/src-main/__planted__/tracker.sqlite', 'dist/node/src-main/__planted__/sessions/me.json'];

function dpkgField(deb: string, field: string): string {
  return execFileSync('dpkg-deb', ['--field', deb, field], { encoding: 'utf8' }).trim();
}

describePosixOnly('the .deb check needs dpkg-deb and POSIX file modes')('Linux package (electron-builder offline, stand-in fpm)', () => {
  let build: LinuxBuild;
  let extracted: string;
  let control: string;

  beforeAll(() => {
    ensureBuilt();
    for (const file of PLANTED) {
      mkdirSync(path.dirname(path.join(REPO_ROOT, file)), { recursive: true });
      writeFileSync(path.join(REPO_ROOT, file), 'must not be packaged');
    }
    try {
      build = buildLinuxDeb();
    } finally {
      rmSync(path.join(REPO_ROOT, 'dist/node/src-main/__planted__'), { recursive: true, force: true });
    }
    extracted = mkdtempSync(path.join(tmpdir(), 'ips-deb-'));
    execFileSync('dpkg-deb', ['--extract', build.debPath, extracted]);
    control = mkdtempSync(path.join(tmpdir(), 'ips-deb-control-'));
    execFileSync('dpkg-deb', ['--control', build.debPath, control]);
  }, 300_000);

  afterAll(() => {
    if (build) rmSync(path.dirname(build.outDir), { recursive: true, force: true });
    for (const dir of [extracted, control]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('packs the app (main, preload, renderer, engine, CLI) and nothing that is not the app', () => {
    const entries = listPackage(path.join(build.unpackedDir, 'resources/app.asar'), { isPack: false });
    for (const required of [
      '/package.json',
      '/dist/node/src-main/shell/main.js',
      '/dist/preload/preload.cjs',
      '/dist/renderer/index.html',
      '/dist/node/src-main/sync/engine.js',
      '/dist/node/src-main/cli/main.js',
      '/dist/node/src-shared/contract.js',
      '/build/icon.png',
      '/build/tray/syncing-dark-32.png',
      '/build/tray/needs-you-light.ico',
    ]) {
      expect(entries, required).toContain(required);
    }
    const forbidden = [
      /\.map$/,
      /\.tsx?$/,
      /\/\.env/,
      /\.sqlite/,
      /\/sessions\//,
      /__planted__/,
      /^\/(src-main|src-renderer|src-shared|tests|bench|release|\.github|\.ci)(\/|$)/,
      /^\/build\/(?!icon\.png$|tray\/[a-z-]+(-\d+\.png|\.ico)$|tray$)/,
      /^\/node_modules\/(electron|electron-builder|vitest|vite|typescript|react|react-dom|playwright-core|@resvg|@types)(\/|$)/,
      /^\/node_modules\/better-sqlite3\/(deps|src)\//,
    ];
    const offending = entries.filter((entry) => forbidden.some((pattern) => pattern.test(entry)));
    expect(offending).toEqual([]);
    // The native module sits beside the archive so it can load.
    expect(existsSync(path.join(build.unpackedDir, 'resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
  });

  it('flips exactly the configured fuses in the packaged executable', async () => {
    const wire = await getCurrentFuseWire(build.executable);
    const expected = STUB_DEFAULT_FUSE_WIRE.split('').map((bit) => (bit === '1' ? FUSE_ON : FUSE_OFF));
    const optionIndex: Record<string, FuseV1Options> = {
      runAsNode: FuseV1Options.RunAsNode,
      enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
      enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
      enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
      enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
      onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
      loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
      grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
    };
    for (const [name, enabled] of Object.entries(config.electronFuses)) {
      const index = optionIndex[name];
      if (index === undefined) throw new Error(`electron-builder.yml sets an unknown fuse: ${name}`);
      expected[index] = enabled ? FUSE_ON : FUSE_OFF;
    }
    const actual = expected.map((_, index) => wire[index as FuseV1Options]);
    expect(actual).toEqual(expected);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FUSE_OFF);
  });

  it("depends on electron-builder's own defaults plus libsecret, and recommends Ayatana AppIndicator", () => {
    // electron-builder replaces its defaults when `depends` is set: compare with the installed version's.
    const FpmTarget = (require('app-builder-lib/out/targets/FpmTarget') as { default: { prototype: { getDefaultDepends(target: string): string[] } } })
      .default;
    const defaults = FpmTarget.prototype.getDefaultDepends('deb');
    expect(defaults.length).toBeGreaterThan(5);
    const depends = build.fpm.options['-d'] as string[];
    expect(depends).toEqual(expect.arrayContaining([...defaults, 'libsecret-1-0']));
    expect(build.fpm.options['--deb-recommends']).toEqual(['libayatana-appindicator3-1']);
    expect(dpkgField(build.debPath, 'Depends').split(', ')).toEqual(depends);
    expect(dpkgField(build.debPath, 'Recommends')).toBe('libayatana-appindicator3-1');
  });

  it('has the control fields a .deb needs: name, version, maintainer, homepage, section, description', () => {
    expect(dpkgField(build.debPath, 'Package')).toBe('icloud-photo-sync');
    expect(dpkgField(build.debPath, 'Version')).toBe(packageJson.version);
    expect(dpkgField(build.debPath, 'Architecture')).toBe('amd64');
    expect(dpkgField(build.debPath, 'Maintainer')).toBe(config.linux.maintainer);
    expect(dpkgField(build.debPath, 'Homepage')).toBe(packageJson.homepage);
    expect(dpkgField(build.debPath, 'Section')).toBe('graphics');
    expect(dpkgField(build.debPath, 'Description')).toMatch(/^Keep a local copy of your iCloud Photos library\n .+/);
    // dpkg-deb reads the whole package back.
    expect(execFileSync('dpkg-deb', ['--info', build.debPath], { encoding: 'utf8' })).toContain('Package: icloud-photo-sync');
  });

  it('installs a desktop entry that starts the app with its icon, and the icon at every size', () => {
    const entry = readFileSync(path.join(extracted, 'usr/share/applications/icloud-photo-sync.desktop'), 'utf8');
    const fields = Object.fromEntries(
      entry
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(entry.startsWith('[Desktop Entry]\n')).toBe(true);
    expect(fields).toMatchObject({
      Name: 'iCloud Photo Sync',
      Type: 'Application',
      Terminal: 'false',
      Icon: 'icloud-photo-sync',
      Exec: '"/opt/iCloud Photo Sync/icloud-photo-sync" %U',
      StartupWMClass: 'icloud-photo-sync',
      Categories: 'Graphics;Photography;',
    });
    expect(existsSync(path.join(extracted, 'opt/iCloud Photo Sync/icloud-photo-sync'))).toBe(true);
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      const installed = readFileSync(path.join(extracted, `usr/share/icons/hicolor/${size}x${size}/apps/icloud-photo-sync.png`));
      expect(installed.equals(readFileSync(path.join(REPO_ROOT, `build/icons/${size}x${size}.png`))), `${size} px icon`).toBe(true);
    }
  });

  it('runs only the usual maintainer scripts: a /usr/bin link, the sandbox mode, desktop and AppArmor registration', () => {
    const postinst = readFileSync(path.join(control, 'postinst'), 'utf8');
    expect(postinst).toContain("'/usr/bin/icloud-photo-sync'");
    expect(postinst).toContain("'/opt/iCloud Photo Sync/chrome-sandbox'");
    for (const surprise of [/systemctl/, /\/home\b/, /\bcurl\b|\bwget\b/, /\.icloud_photo_sync/, /crontab/, /useradd|adduser/]) {
      expect(postinst).not.toMatch(surprise);
    }
  });
});

describe('Windows installer (NSIS settings as electron-builder resolves them)', () => {
  let nsis: NsisResolution;

  beforeAll(async () => {
    ensureBuilt();
    nsis = await resolveNsisInstaller();
  }, 300_000);

  afterAll(() => {
    if (nsis) rmSync(path.dirname(nsis.outDir), { recursive: true, force: true });
  });

  it('is an assisted installer that installs for the current user by default, with "for all users" on offer', () => {
    const { defines } = nsis;
    expect(defines).not.toHaveProperty('ONE_CLICK');
    // Per-user by default: neither forced nor preselected per-machine, so no administrator prompt.
    expect(defines).not.toHaveProperty('INSTALL_MODE_PER_ALL_USERS');
    expect(defines).not.toHaveProperty('INSTALL_MODE_PER_ALL_USERS_DEFAULT');
    // Per-machine available: the page offers it and elevates only when chosen.
    expect(defines).toHaveProperty('MULTIUSER_INSTALLMODE_ALLOW_ELEVATION');
    expect(defines).toHaveProperty('allowToChangeInstallationDirectory');
  });

  it('names the app, its id, version, icon and the installer file the WinGet manifests point at', () => {
    const { defines, commands } = nsis;
    expect(defines.APP_ID).toBe('io.github.icloud-photo-sync');
    expect(defines.PRODUCT_NAME).toBe('iCloud Photo Sync');
    expect(defines.SHORTCUT_NAME).toBe('iCloud Photo Sync');
    expect(defines.VERSION).toBe(packageJson.version);
    expect(defines.MUI_ICON).toBe(path.join(REPO_ROOT, 'build/icon.ico'));
    expect(defines.APP_64_NAME).toMatch(/^icloud-photo-sync-.+-x64\.nsis\.7z$/);
    expect(String(commands.OutFile)).toMatch(/icloud-photo-sync-setup-\d+\.\d+\.\d+\.exe"$/);
  });

  it("registers under the uninstall key the WinGet manifest names as ProductCode", () => {
    // The template's {{…}} fields are not YAML yet: read the one line.
    const template = readFileSync(path.join(REPO_ROOT, 'build/winget/templates/iCloudPhotoSync.iCloudPhotoSync.installer.yaml'), 'utf8');
    const productCode = /^ProductCode: (\S+)$/m.exec(template)?.[1];
    expect(productCode).toBeDefined();
    expect(nsis.defines.UNINSTALL_APP_KEY).toBe(productCode);
  });

  it('does not delete the app data on uninstall', () => {
    expect(nsis.defines).not.toHaveProperty('DELETE_APP_DATA_ON_UNINSTALL');
  });

  it("removes the launch-at-login entry on uninstall (not on update) and never touches the data folder", () => {
    // electron-builder includes build/installer.nsh (nsis.include) into the installer script.
    const script = readFileSync(path.join(REPO_ROOT, 'build/installer.nsh'), 'utf8');
    const macro = /!macro customUnInstall\n([\s\S]*?)!macroend/.exec(script)?.[1] ?? '';
    expect(macro).toContain('${ifNot} ${isUpdated}');
    expect(macro).toContain('DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "${APP_ID}"');
    expect(macro).toContain('DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run" "${APP_ID}"');
    // The only commands are the registry deletions and the update guard: no file or folder removal.
    const commands = macro
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith(';'));
    expect(commands.filter((line) => !/^(\$\{ifNot\} \$\{isUpdated\}|\$\{endIf\}|DeleteRegValue HKCU )/.test(line))).toEqual([]);
  });
});
