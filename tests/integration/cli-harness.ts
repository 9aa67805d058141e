/**
 * Runs the real CLI as a child process against a simulator started in this process, through the
 * development entry point `tests/cli-sim/main.ts` (the CLI program with the simulator's endpoints
 * injected); without a simulator, the installed entry point `src-main/cli/main.ts` itself. The
 * child is spawned asynchronously: the simulator shares this event loop and must keep answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPaths, trackerFile } from '../../src-main/config/paths.js';
import { Tracker } from '../../src-main/tracker/tracker.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/server.js';
import { cliSimCommand, cliSimEnv, SIM_ENDPOINTS_ENV } from '../cli-sim/sim-network.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const MAIN = join(ROOT, 'src-main/cli/main.ts');

/** The command line of the CLI for this environment: against its simulator if it names one. */
export function cliCommand(env: NodeJS.ProcessEnv): [string, ...string[]] {
  return env[SIM_ENDPOINTS_ENV] ? cliSimCommand() : [process.execPath, '--import', 'tsx', MAIN];
}

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface CliWorld {
  sim: Simulator;
  base: string;
  dataDir: string;
  folder: string;
  env: NodeJS.ProcessEnv;
  /** Runs one command to completion; `input` is written to stdin, then stdin is closed. */
  cli(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  /** Starts a long-running command (daemon); the caller stops it. */
  spawnCli(args: string[], env?: NodeJS.ProcessEnv): ChildProcess;
  /** Everything written to the data folder's log files. */
  logText(): string;
  close(): Promise<void>;
}

/** The environment a test CLI needs: the simulator's endpoints (for cli-sim), a temp data folder. */
export function cliEnv(sim: Simulator | null, dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dataDir, NO_COLOR: '1', ICLOUD_PHOTO_SYNC_DATA_DIR: dataDir };
  if (sim) {
    Object.assign(env, cliSimEnv(sim.urls));
    env.ICLOUD_PHOTO_SYNC_APPLE_ID = sim.account.appleId;
  }
  return { ...env, ...extra };
}

export function spawnCliProcess(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [command, ...prefix] = cliCommand(env);
  return spawn(command, [...prefix, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function runCliProcess(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCliProcess(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
    child.stdin?.end(input);
  });
}

export async function openCliWorld(options: Partial<SimulatorOptions> = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliWorld> {
  const sim = await startSimulator(options);
  const base = mkdtempSync(join(tmpdir(), 'cli-world-'));
  const dataDir = join(base, 'data');
  const folder = join(base, 'Photos');
  const env = cliEnv(sim, dataDir, { ICLOUD_PHOTO_SYNC_SYNC_FOLDER: folder, ...extraEnv });
  return {
    sim,
    base,
    dataDir,
    folder,
    env,
    cli: (args, runOptions = {}) => runCliProcess(args, { ...env, ...runOptions.env }, runOptions.input ?? ''),
    spawnCli: (args, extra = {}) => spawnCliProcess(args, { ...env, ...extra }),
    logText: () => readAllFiles(join(dataDir, 'logs')),
    close: async () => {
      await sim.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export interface SignedInCliWorld extends CliWorld {
  /** The account's tracker database (it exists once a sync has run). */
  trackerPath: string;
}

/** A world ready to sync: the folder set up, the account signed in, the password in the environment. */
export async function openSignedInCliWorld(options: Partial<SimulatorOptions>): Promise<SignedInCliWorld> {
  const world = await openCliWorld(options);
  world.env.ICLOUD_PHOTO_SYNC_PASSWORD = world.sim.account.password;
  for (const [args, input] of [[['setup'], ''], [['auth'], `${world.sim.code}\n`]] as const) {
    const result = await world.cli([...args], { input });
    if (result.exitCode !== 0) throw new Error(`${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
  }
  return { ...world, trackerPath: trackerFile(dataPaths(world.dataDir), world.sim.account.appleId) };
}

function readAllFiles(dir: string): string {
  try {
    return readdirSync(dir)
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('');
  } catch {
    return '';
  }
}

/** Secret values found in `text` (by name), for "no secret in any output" assertions. */
export function leakedSecrets(text: string, secrets: Record<string, string | undefined>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value && value.length >= 4)
    .filter(([, value]) => new RegExp(`(?<![0-9A-Za-z])${(value as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`).test(text))
    .map(([name]) => name);
}

/** The tokens the client stored, to check none of them reached a log or an output. */
export function storedSessionSecrets(dataDir: string): Record<string, string | undefined> {
  const dir = join(dataDir, 'sessions');
  const secrets: Record<string, string | undefined> = {};
  for (const name of readdirSync(dir)) {
    const parsed = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
    if (name.endsWith('.session.json')) {
      for (const key of ['session_id', 'session_token', 'scnt', 'trust_token']) secrets[key] = parsed[key] as string | undefined;
    } else {
      for (const cookie of (parsed.cookies as Array<{ key?: string; value?: string }>) ?? []) {
        if (cookie.value && cookie.value.length >= 8) secrets[`cookie ${cookie.key}`] = cookie.value;
      }
    }
  }
  return secrets;
}

/** Every file the tracker at `path` records, read from a snapshot (the file itself is not touched). */
export function trackedFiles(path: string): TrackedFile[] {
  const tracker = Tracker.openSnapshot(path);
  try {
    return tracker.allFiles();
  } finally {
    tracker.close();
  }
}
