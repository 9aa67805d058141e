import { beforeAll, describe, expect, it, afterAll } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, ensureBuilt, resolveNsisInstaller, type NsisResolution } from './offline-build.js';

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
    expect(defines.VERSION).toBe((JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(defines.MUI_ICON).toBe(path.join(REPO_ROOT, 'build/icon.ico'));
    expect(defines.APP_64_NAME).toMatch(/^icloud-photo-sync-.+-x64\.nsis\.7z$/);
    expect(String(commands.OutFile)).toMatch(/icloud-photo-sync-setup-\d+\.\d+\.\d+\.exe"$/);
  });

  it("registers under the uninstall key the WinGet manifest names as ProductCode", () => {
    const template = parse(readFileSync(path.join(REPO_ROOT, 'build/winget/templates/iCloudPhotoSync.iCloudPhotoSync.installer.yaml'), 'utf8')) as {
      ProductCode: string;
    };
    expect(nsis.defines.UNINSTALL_APP_KEY).toBe(template.ProductCode);
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
