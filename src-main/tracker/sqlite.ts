/**
 * Every SQLite database of the app is opened here, so the Electron main process can load an
 * Electron-ABI build of better-sqlite3's native module while the CLI and the tests keep Node's.
 *
 * `npm ci` compiles better-sqlite3 for Node; Electron has its own ABI and cannot load that build,
 * and rebuilding it in place for Electron would break the CLI and the tests in the same checkout.
 * So `npm start` (build/electron-native.ts) builds a second copy for Electron into
 * .electron-native/<versions>/ and, under Electron, this passes it through better-sqlite3's
 * `nativeBinding` option. A packaged app has no such folder: electron-builder rebuilt the module
 * itself for Electron, and the default loading applies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';

export const ELECTRON_NATIVE_DIR = '.electron-native';
export const NATIVE_FILE = 'better_sqlite3.node';

export interface NativeTarget {
  betterSqlite3: string;
  electron: string;
  platform: NodeJS.Platform;
  arch: string;
}

/** The folder holding the Electron-ABI build for exactly these versions (a new Electron gets a new folder). */
export function electronNativeFolder(projectRoot: string, target: NativeTarget): string {
  return path.join(projectRoot, ELECTRON_NATIVE_DIR, `better-sqlite3-${target.betterSqlite3}-electron-${target.electron}-${target.platform}-${target.arch}`);
}

export interface BindingContext {
  /** process.versions: `electron` is set only inside Electron. */
  versions: Partial<Record<string, string>>;
  platform: NodeJS.Platform;
  arch: string;
  /** The folder holding node_modules (the checkout, or app.asar once packaged). */
  projectRoot: string;
  betterSqlite3Version: string;
  exists(file: string): boolean;
}

/** The Electron-ABI module to load, or undefined for better-sqlite3's own build (Node, or a packaged app). */
export function nativeBindingFor(context: BindingContext): string | undefined {
  const electron = context.versions.electron;
  if (!electron) return undefined;
  const file = path.join(
    electronNativeFolder(context.projectRoot, { betterSqlite3: context.betterSqlite3Version, electron, platform: context.platform, arch: context.arch }),
    NATIVE_FILE,
  );
  return context.exists(file) ? file : undefined;
}

/** better-sqlite3's folder, found the way Node finds it; the project root is two levels up. */
function installedBetterSqlite3(): { projectRoot: string; version: string } {
  const packageJson = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  return { projectRoot: path.resolve(path.dirname(packageJson), '..', '..'), version };
}

let chosen: { binding: string | undefined } | null = null;

function currentBinding(): string | undefined {
  if (!chosen) {
    const installed = process.versions.electron ? installedBetterSqlite3() : { projectRoot: '', version: '' };
    chosen = {
      binding: nativeBindingFor({
        versions: process.versions,
        platform: process.platform,
        arch: process.arch,
        projectRoot: installed.projectRoot,
        betterSqlite3Version: installed.version,
        exists: existsSync,
      }),
    };
  }
  return chosen.binding;
}

/** `new Database(...)` with the native module this process can load. */
export function openSqlite(filename: string | Buffer, options: Database.Options = {}): Database.Database {
  const binding = currentBinding();
  return new Database(filename as string, binding ? { ...options, nativeBinding: binding } : options);
}
