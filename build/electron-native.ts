/**
 * `npm start` runs this before Electron: it makes sure an Electron-ABI build of better-sqlite3's
 * native module exists in .electron-native/ (see src-main/tracker/sqlite.ts for why a second copy),
 * and builds it only when missing: Electron's prebuilt binary from better-sqlite3's release
 * (prebuild-install), else a compile against Electron's headers (node-gyp). The module in
 * node_modules stays Node's, so the CLI and `npm test` keep working in the same checkout.
 *
 *   tsx build/electron-native.ts           build if missing, print where it is
 *   tsx build/electron-native.ts --where   only print the folder it uses
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_NATIVE_DIR, NATIVE_FILE, electronNativeFolder } from '../src-main/tracker/sqlite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function versionOf(packageName: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${packageName}/package.json`), 'utf8')) as { version: string }).version;
}

/** Runs a Node script of a dependency; the machine's nodedir (Node's headers) must not reach an Electron build. */
function runNode(script: string, args: string[], cwd: string): boolean {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.toLowerCase() === 'npm_config_nodedir') delete env[key];
  const result = spawnSync(process.execPath, [script, ...args], { cwd, env, stdio: 'inherit' });
  return result.status === 0;
}

export function ensureElectronNative(): string {
  const electron = versionOf('electron');
  const target = { betterSqlite3: versionOf('better-sqlite3'), electron, platform: process.platform, arch: process.arch };
  const folder = electronNativeFolder(ROOT, target);
  const file = path.join(folder, NATIVE_FILE);
  if (existsSync(file)) return file;

  console.log(`electron-native: building better-sqlite3 ${target.betterSqlite3} for Electron ${electron} (${target.platform}-${target.arch}), once`);
  mkdirSync(path.join(ROOT, ELECTRON_NATIVE_DIR), { recursive: true });
  const work = mkdtempSync(path.join(ROOT, ELECTRON_NATIVE_DIR, 'work-'));
  try {
    const source = path.dirname(require.resolve('better-sqlite3/package.json'));
    // A copy without Node's build, so nothing of it can end up in the Electron one.
    cpSync(source, work, { recursive: true, filter: (from) => path.relative(source, from).split(path.sep)[0] !== 'build' });
    const prebuilt = runNode(require.resolve('prebuild-install/bin.js'), ['--runtime', 'electron', '--target', electron, '--arch', target.arch, '--platform', target.platform], work);
    const built =
      prebuilt ||
      runNode(require.resolve('node-gyp/bin/node-gyp.js'), ['rebuild', '--release', '--runtime=electron', `--target=${electron}`, `--arch=${target.arch}`, '--dist-url=https://electronjs.org/headers'], work);
    const output = path.join(work, 'build', 'Release', NATIVE_FILE);
    if (!built || !existsSync(output)) {
      throw new Error('Could not get better-sqlite3 for Electron: this needs internet access once (Electron\'s headers or the prebuilt module). The CLI is not affected.');
    }
    mkdirSync(folder, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    cpSync(output, temp);
    renameSync(temp, file);
    return file;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--where') {
    console.log(electronNativeFolder(ROOT, { betterSqlite3: versionOf('better-sqlite3'), electron: versionOf('electron'), platform: process.platform, arch: process.arch }));
  } else {
    try {
      console.log(`electron-native: ready at ${path.relative(ROOT, ensureElectronNative())}`);
    } catch (error) {
      console.error(`electron-native: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  }
}
