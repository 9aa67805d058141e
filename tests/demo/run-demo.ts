/**
 * `npm run demo`: the whole headless flow against the local Apple simulator, no Apple account and
 * no internet needed. Starts the simulator with a sample library of real (generated) images, then
 * runs the real `icloud-photo-sync` CLI as a child process, through the development entry point that
 * injects the simulator's endpoints (tests/cli-sim, as `npm run cli:sim`): set up the folder, sign in (the
 * simulator "sends" the 2FA code, printed here and typed in for you), a full sync, changes in
 * "iCloud", an incremental sync, and finally what landed on disk and what the tracker recorded.
 *
 * Options: --keep (leave the temp folders for a look), --assets N (default 60).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { startSimulator, type Simulator } from '../sim/server.js';
import type { SimLibrary } from '../sim/library/index.js';
import { cliEnv, spawnCliProcess } from '../integration/cli-harness.js';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const assetsArg = args.indexOf('--assets');
const assetCount = assetsArg >= 0 ? Number(args[assetsArg + 1]) : 60;

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);
const step = (text: string) => process.stdout.write(`\n${bold(`== ${text}`)}\n`);
const say = (text: string) => process.stdout.write(`${text}\n`);

/** Runs the CLI, showing its stdout and stderr (progress, logs) as they come. */
function cli(env: NodeJS.ProcessEnv, commandArgs: string[], feed?: (child: ChildProcess) => void): Promise<number> {
  say(`$ icloud-photo-sync ${commandArgs.join(' ')}`);
  const child = spawnCliProcess(commandArgs, env);
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  if (feed) feed(child);
  else child.stdin?.end();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function expectOk(code: Promise<number>, what: string): Promise<void> {
  const exitCode = await code;
  if (exitCode !== 0) throw new Error(`${what} exited with ${exitCode}`);
}

function listFiles(folder: string): Array<{ path: string; size: number }> {
  const out: Array<{ path: string; size: number }> = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (!entry.name.startsWith('.icloud-photo-sync')) out.push({ path: relative(folder, full).split(sep).join('/'), size: statSync(full).size });
    }
  };
  visit(folder);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'icloud-photo-sync-demo-'));
  const dataDir = join(base, 'data');
  const folder = join(base, 'iCloud Photos');
  let codeSent: (() => void) | null = null;
  step(`Starting the Apple simulator with ${assetCount} photos and videos`);
  const sim: Simulator = await startSimulator({
    assets: assetCount,
    seed: 2026,
    onCodeDelivered: (delivery) => {
      say(`   [simulator] a verification code was sent to the ${delivery.channel === 'device' ? 'trusted devices' : 'phone'}: ${sim.code}`);
      codeSent?.();
    },
  });
  const library = sim.library as SimLibrary;
  say(`Simulator on 127.0.0.1:${sim.port}, Apple ID ${sim.account.appleId} (a fake account)`);
  say(`Data folder (sessions, tracker, logs): ${dataDir}`);
  say(`Sync folder:                          ${folder}`);
  // The demo password is the simulator's fake one; a real user types theirs or names a password file.
  const env = cliEnv(sim, dataDir, { ICLOUD_PHOTO_SYNC_SYNC_FOLDER: folder, ICLOUD_PHOTO_SYNC_PASSWORD: sim.account.password });
  try {
    step('1. Set up the sync folder (writes the marker that protects against unplugged drives)');
    await expectOk(cli(env, ['setup']), 'setup');

    step('2. Sign in: password, then the two-factor code (read from stdin, as a script would)');
    await expectOk(
      cli(env, ['auth'], (child) => {
        codeSent = () => {
          say(`   [demo] typing the code into icloud-photo-sync`);
          child.stdin?.end(`${sim.code}\n`);
        };
      }),
      'auth',
    );

    step('3. First sync: downloads the whole library');
    await expectOk(cli(env, ['sync']), 'first sync');

    step('4. Meanwhile in "iCloud": 3 new photos and 1 edit');
    for (let i = 0; i < 3; i++) say(`   [simulator] added ${library.addAsset({ kind: 'jpeg' }).filename}`);
    const edited = [...library.assets()].find((asset) => !asset.isDeleted && !asset.isHidden);
    if (edited) say(`   [simulator] edited ${library.editAsset(edited).filename}`);

    step('5. Incremental sync: only what changed (through Apple\'s change feed)');
    await expectOk(cli(env, ['sync']), 'incremental sync');

    step('6. A sync with nothing new downloads nothing');
    await expectOk(cli(env, ['sync', '--quiet']), 'idle sync');

    step('7. What the tracker recorded');
    await expectOk(cli(env, ['status']), 'status');

    step('8. Where the photos landed');
    const files = listFiles(folder);
    for (const file of files.slice(0, 12)) say(`   ${file.path}  (${file.size} bytes)`);
    if (files.length > 12) say(`   ... and ${files.length - 12} more`);
    say(`${files.length} files, ${files.reduce((sum, f) => sum + f.size, 0)} bytes in ${folder}`);
    say('   (Names iCloud sent with characters Windows forbids, or too long for a disk, were made safe.)');
    say(`Requests that would have changed the iCloud library (the app only reads, so this must be 0): ${sim.violations().length}`);
  } finally {
    await sim.close();
    if (keep) say(`\nKept ${base} (delete it when done).`);
    else {
      rmSync(base, { recursive: true, force: true });
      say(`\nThe demo's folders were removed; run \`npm run demo -- --keep\` to look around in them afterwards.`);
    }
  }
  step('Done. Next: README.md explains every command; `npm run cli -- --help` lists them.');
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
