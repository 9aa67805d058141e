import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliSimEnv } from '../tests/cli-sim/sim-network.js';
import type { SimProcess } from './sim-process.js';
import { runMeasured, type MeasuredRun } from './measured-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/**
 * The CLI as users run it, compiled, under plain node (never through tsx): built-cli-sim.mjs runs
 * the compiled program (dist/) with the simulator's endpoints injected, as `npm run cli:sim` does
 * from source. The installed entry point (dist/.../cli/main.js) cannot be pointed at a simulator.
 */
export const BUILT_CLI = join(ROOT, 'bench/built-cli-sim.mjs');

/** Compiles the main process and CLI into dist/ (the tsc step of `npm run build`). */
export function buildCli(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The one place that points the CLI at the simulator: its endpoints for built-cli-sim.mjs (the same
 * variable as tests/cli-sim). The private CA is trusted the way a user's client trusts Apple's:
 * through the process's CA store (NODE_EXTRA_CA_CERTS).
 */
export function simulatorEnv(sim: SimProcess, caPath: string): NodeJS.ProcessEnv {
  return { NODE_EXTRA_CA_CERTS: caPath, ...cliSimEnv(sim.urls) };
}

export interface CliAccount {
  env: NodeJS.ProcessEnv;
  run(args: string[]): Promise<MeasuredRun>;
}

/** A data folder and sync folder for the simulator's account, set up and signed in by the CLI itself. */
export async function signedInCli(sim: SimProcess, caPath: string, dataDir: string, folder: string): Promise<CliAccount> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: dataDir, NO_COLOR: '1',
    ICLOUD_PHOTO_SYNC_DATA_DIR: dataDir,
    ICLOUD_PHOTO_SYNC_SYNC_FOLDER: folder,
    ICLOUD_PHOTO_SYNC_APPLE_ID: sim.account.appleId,
    ICLOUD_PHOTO_SYNC_PASSWORD: sim.account.password,
    ...simulatorEnv(sim, caPath),
  };
  // BENCH_CLI_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the measured CLI runs (node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = (process.env.BENCH_CLI_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const run = (args: string[]) => runMeasured(process.execPath, [...nodeArgs, BUILT_CLI, ...args], { env });
  for (const args of [['setup'], ['auth']]) {
    const result = await run(args);
    if (result.exitCode !== 0) throw new Error(`icloud-photo-sync ${args.join(' ')} exited ${result.exitCode}: ${result.stderr.slice(-2000)}`);
  }
  return { env, run };
}
