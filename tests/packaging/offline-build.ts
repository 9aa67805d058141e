/**
 * Runs the real electron-builder with the real electron-builder.yml offline, for the Linux .deb and
 * the Windows NSIS installer. Stub Electron dists stand in for the Electron download: the Linux
 * binary carries the fuse sentinel, so electron-builder really flips the fuses in it; the Windows one
 * is a minimal PE with version info, so electron-builder can embed the asar integrity resource.
 * A stand-in fpm (CUSTOM_FPM_PATH) records what electron-builder asks fpm for and builds the .deb with
 * dpkg-deb. For NSIS, electron-builder runs up to the point where it has resolved the installer's
 * defines and hands them to makensis; the test reads them there (makensis cannot be downloaded here).
 * npmRebuild stays off: rebuilding better-sqlite3 for Electron here silently produces a wrong build
 * (../shared/toolchain.md).
 */
import { execFileSync, execSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** The fuse sentinel Electron binaries carry (from @electron/fuses), followed by the wire. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults for the eight V1 fuses: RunAsNode on, cookie encryption off, NODE_OPTIONS on,
 *  inspect arguments on, asar integrity off, only-asar off, browser V8 snapshot off, file:// privileges on. */
export const STUB_DEFAULT_FUSE_WIRE = '10110001';

export interface LinuxBuild {
  outDir: string;
  unpackedDir: string;
  executable: string;
  debPath: string;
  fpm: { argv: string[]; options: Record<string, string | string[] | true>; mappings: { source: string; destination: string }[] };
  log: string;
}

function electronVersion(): string {
  return (require('electron/package.json') as { version: string }).version;
}

function makeStubElectronDist(dir: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from(`#!/bin/sh\necho "stub electron"\nexit 0\n# `),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, STUB_DEFAULT_FUSE_WIRE.length]),
    Buffer.from(STUB_DEFAULT_FUSE_WIRE),
    Buffer.from('\n'),
  ]);
  writeFileSync(path.join(dir, 'electron'), wire, { mode: 0o755 });
  writeFileSync(path.join(dir, 'chrome-sandbox'), '', { mode: 0o755 });
  writeFileSync(path.join(dir, 'version'), electronVersion());
  writeFileSync(path.join(dir, 'LICENSE'), '');
}

export function buildLinuxDeb(workDir = mkdtempSync(path.join(tmpdir(), 'ips-package-'))): LinuxBuild {
  const stub = path.join(workDir, 'electron-dist');
  const outDir = path.join(workDir, 'release');
  makeStubElectronDist(stub);
  const cli = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  const log = execFileSync(
    process.execPath,
    [cli, '--linux', 'deb', '--x64', '--publish', 'never', `-c.electronDist=${stub}`, '-c.npmRebuild=false', `-c.directories.output=${outDir}`],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CUSTOM_FPM_PATH: path.join(REPO_ROOT, 'tests/packaging/stand-in-fpm.mjs'), CI: 'true' },
    },
  );
  const debName = readdirSync(outDir).find((name) => name.endsWith('.deb'));
  if (!debName) throw new Error(`electron-builder wrote no .deb into ${outDir}:\n${log}`);
  const debPath = path.join(outDir, debName);
  const unpackedDir = path.join(outDir, 'linux-unpacked');
  return {
    outDir,
    unpackedDir,
    executable: path.join(unpackedDir, 'icloud-photo-sync'),
    debPath,
    fpm: JSON.parse(readFileSync(`${debPath}.fpm-args.json`, 'utf8')) as LinuxBuild['fpm'],
    log,
  };
}

/** electron-builder packs dist/: build it first when a test run starts without it. */
export function ensureBuilt(): void {
  if (existsSync(path.join(REPO_ROOT, 'dist/node/src-main/shell/main.js')) && existsSync(path.join(REPO_ROOT, 'dist/renderer/index.html'))) return;
  console.log('Packaging test: dist/ is missing, running `npm run build` first.');
  execSync('npm run build', { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** What electron-builder resolved for the NSIS installer: makensis defines and script commands. */
export interface NsisResolution {
  defines: Record<string, string | number | null>;
  commands: Record<string, unknown>;
  outDir: string;
}

/** A minimal Windows executable with a version resource, standing in for electron.exe. */
async function makeStubWindowsElectronDist(dir: string): Promise<void> {
  // resedit is electron-builder's own PE editor (a dependency of app-builder-lib).
  const resedit = (await import('resedit')) as typeof import('resedit');
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const executable = resedit.NtExecutable.createEmpty(false, false);
  const resources = resedit.NtExecutableResource.from(executable);
  const versionInfo = resedit.Resource.VersionInfo.createEmpty();
  versionInfo.lang = 1033;
  versionInfo.setStringValues({ lang: 1033, codepage: 1200 }, { ProductName: 'Electron', FileDescription: 'Electron' });
  versionInfo.outputToResourceEntries(resources.entries);
  resources.outputResource(executable);
  writeFileSync(path.join(dir, 'electron.exe'), Buffer.from(executable.generate()));
  writeFileSync(path.join(dir, 'version'), electronVersion());
  writeFileSync(path.join(dir, 'LICENSE'), '');
}

export async function resolveNsisInstaller(workDir = mkdtempSync(path.join(tmpdir(), 'ips-nsis-'))): Promise<NsisResolution> {
  const stub = path.join(workDir, 'electron-dist');
  const outDir = path.join(workDir, 'release');
  await makeStubWindowsElectronDist(stub);
  // The installer's payload is a 7z archive: 7zip-bin ships 7za in the npm package (without its
  // executable bit, hence the copy). elevate.exe, which per-machine installs use, normally comes with
  // the NSIS download: an empty stand-in fills its place in the payload.
  const bundled7za = (require('7zip-bin') as { path7za: string }).path7za;
  const sevenZip = path.join(workDir, path.basename(bundled7za));
  copyFileSync(bundled7za, sevenZip);
  chmodSync(sevenZip, 0o755);
  const nsisDir = path.join(workDir, 'nsis');
  mkdirSync(nsisDir);
  writeFileSync(path.join(nsisDir, 'elevate.exe'), '');
  process.env.ELECTRON_BUILDER_7ZIP_PATH = sevenZip;
  process.env.ELECTRON_BUILDER_NSIS_DIR = nsisDir;
  let resolved: NsisResolution | null = null;
  try {
    const { build, Platform, Arch } = (await import('electron-builder')).default;
    await build({
      projectDir: REPO_ROOT,
      targets: Platform.WINDOWS.createTarget('nsis', Arch.x64),
      publish: 'never',
      // Fuses are flipped and checked on the Linux stub, which carries the sentinel; this PE does not.
      config: { electronDist: stub, npmRebuild: false, electronFuses: null, directories: { output: outDir } },
      effectiveOptionComputed: async (options: unknown) => {
        if (!Array.isArray(options) || options.length !== 2 || typeof options[0]?.APP_ID !== 'string') return false;
        resolved = { defines: options[0], commands: options[1], outDir };
        return true; // stop before makensis
      },
    });
  } finally {
    delete process.env.ELECTRON_BUILDER_7ZIP_PATH;
    delete process.env.ELECTRON_BUILDER_NSIS_DIR;
  }
  if (!resolved) throw new Error('electron-builder never reached the NSIS script step');
  return resolved;
}
