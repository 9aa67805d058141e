#!/usr/bin/env node
// A stand-in for fpm, which electron-builder downloads for its .deb target (impossible offline).
// electron-builder runs it through CUSTOM_FPM_PATH with the real arguments it computed (control
// fields, depends, maintainer scripts, `source=destination` file mappings). This records them in
// `<package>.fpm-args.json` and builds the .deb the way fpm's dir-to-deb mode does, with dpkg-deb,
// so a test reads the control file and payload electron-builder asked for.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const FLAGS_WITHOUT_VALUE = new Set(['--force', '--debug']);
const REPEATABLE = new Set(['-d', '--deb-recommends']);

function parse(argv) {
  const options = {};
  const mappings = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) {
      const split = arg.lastIndexOf('=');
      mappings.push({ source: arg.slice(0, split), destination: arg.slice(split + 1) });
    } else if (FLAGS_WITHOUT_VALUE.has(arg)) {
      options[arg] = true;
    } else if (REPEATABLE.has(arg)) {
      (options[arg] ??= []).push(argv[++i]);
    } else {
      options[arg] = argv[++i];
    }
  }
  return { options, mappings };
}

const { options, mappings } = parse(process.argv.slice(2));
if (options['-s'] !== 'dir' || options['-t'] !== 'deb') {
  console.error(`stand-in fpm: only dir -> deb is supported, got -s ${options['-s']} -t ${options['-t']}`);
  process.exit(2);
}
const packagePath = options['--package'];
writeFileSync(`${packagePath}.fpm-args.json`, JSON.stringify({ argv: process.argv.slice(2), options, mappings }, null, 2));

const root = mkdtempSync(path.join(tmpdir(), 'stand-in-fpm-'));
try {
  for (const { source, destination } of mappings) {
    const target = path.join(root, destination);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(source.endsWith('/') ? source.slice(0, -1) : source, target, { recursive: true, verbatimSymlinks: true });
  }
  const installedKiB = Math.ceil(Number(execFileSync('du', ['-sk', '--apparent-size', root], { encoding: 'utf8' }).split('\t')[0]));
  const control = [
    ['Package', options['--name']],
    ['Version', options['--version']],
    ['License', options['--license']],
    ['Vendor', options['--vendor']],
    ['Architecture', options['--architecture']],
    ['Maintainer', options['--maintainer']],
    ['Installed-Size', String(installedKiB)],
    ['Depends', (options['-d'] ?? []).join(', ')],
    ['Recommends', (options['--deb-recommends'] ?? []).join(', ')],
    ['Section', options['--category'] ?? 'default'],
    ['Priority', options['--deb-priority'] ?? 'optional'],
    ['Homepage', options['--url']],
    ['Description', options['--description']],
  ].filter(([, value]) => value !== undefined && value !== '');
  mkdirSync(path.join(root, 'DEBIAN'));
  writeFileSync(path.join(root, 'DEBIAN', 'control'), control.map(([key, value]) => `${key}: ${value}\n`).join(''));
  for (const [flag, script] of [['--after-install', 'postinst'], ['--after-remove', 'postrm']]) {
    if (!options[flag]) continue;
    cpSync(options[flag], path.join(root, 'DEBIAN', script));
    chmodSync(path.join(root, 'DEBIAN', script), 0o755);
  }
  // Fast compression: the stand-in proves the contents, not the size (the requested one is recorded).
  const compression = options['--deb-compression'] ?? 'xz';
  execFileSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '-z1', '--build', root, packagePath], { stdio: 'inherit' });
  if (!statSync(packagePath).isFile()) throw new Error(`dpkg-deb did not write ${packagePath}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
