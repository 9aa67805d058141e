/**
 * Fills the WinGet manifest templates (templates/) for one release: version, installer URL, the
 * SHA-256 of the installer file and the release date. Checks the result (check-manifests.ts) and
 * writes it in the community repository's layout, ready for `wingetcreate submit`:
 *   <out>/manifests/<first letter>/<Publisher>/<Package>/<version>/<id>{,.installer,.locale.en-US}.yaml
 *
 *   npx tsx build/winget/fill-manifests.ts --installer release/icloud-photo-sync-setup-1.2.3.exe \
 *     --url https://github.com/<owner>/<repo>/releases/download/v1.2.3/icloud-photo-sync-setup-1.2.3.exe \
 *     [--version 1.2.3] [--date 2026-12-04] [--out release/winget]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkManifests } from './check-manifests.js';

const TEMPLATES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');

export interface FillOptions {
  installerPath: string;
  installerUrl: string;
  version: string;
  releaseDate: string;
  outDir: string;
}

export function sha256OfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').toUpperCase();
}

/** Writes the filled manifests and returns the folder that holds them. */
export function fillManifests(options: FillOptions): string {
  if (!/^\d+\.\d+\.\d+$/.test(options.version)) throw new Error(`Version "${options.version}" is not MAJOR.MINOR.PATCH.`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.releaseDate)) throw new Error(`Release date "${options.releaseDate}" is not YYYY-MM-DD.`);
  if (!existsSync(options.installerPath)) throw new Error(`Installer ${options.installerPath} does not exist: build it first.`);
  const url = new URL(options.installerUrl);
  if (url.protocol !== 'https:') throw new Error(`Installer URL must be https: ${options.installerUrl}`);
  if (path.posix.basename(url.pathname) !== path.basename(options.installerPath)) {
    throw new Error(`The URL's file name (${path.posix.basename(url.pathname)}) is not the installer's (${path.basename(options.installerPath)}).`);
  }
  const values: Record<string, string> = {
    version: options.version,
    installerUrl: options.installerUrl,
    installerSha256: sha256OfFile(options.installerPath),
    releaseDate: options.releaseDate,
  };
  const templates = readdirSync(TEMPLATES).filter((name) => name.endsWith('.yaml'));
  const identifier = templates.find((name) => name.split('.').length === 3)!.replace(/\.yaml$/, '');
  const [publisher, packageName] = identifier.split('.') as [string, string];
  const dir = path.join(options.outDir, 'manifests', publisher[0]!.toLowerCase(), publisher, packageName, options.version);
  mkdirSync(dir, { recursive: true });
  for (const name of templates) {
    const filled = readFileSync(path.join(TEMPLATES, name), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`Template ${name} uses an unknown field {{${key}}}`);
      return value;
    });
    writeFileSync(path.join(dir, name), filled.replace(/^# Template: .*\n/m, ''));
  }
  checkManifests(dir);
  return dir;
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function main(args: string[]): void {
  const installerPath = option(args, '--installer');
  const installerUrl = option(args, '--url');
  if (!installerPath || !installerUrl) {
    console.error('Usage: fill-manifests.ts --installer <file.exe> --url <https URL of that file> [--version X.Y.Z] [--date YYYY-MM-DD] [--out dir]');
    process.exit(2);
  }
  const packageJson = JSON.parse(readFileSync(path.join(TEMPLATES, '../../../package.json'), 'utf8')) as { version: string };
  const dir = fillManifests({
    installerPath,
    installerUrl,
    version: option(args, '--version') ?? packageJson.version,
    releaseDate: option(args, '--date') ?? new Date().toISOString().slice(0, 10),
    outDir: option(args, '--out') ?? 'release/winget',
  });
  console.log(dir);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
