/**
 * For developers trying the CLI (`npm run cli:sim -- <args>` without CLI_SIM_ENDPOINTS): finds the
 * simulator an earlier call started, or starts one in the background (`tests/sim/cli.ts`, default
 * library), and keeps the CLI's data in a folder of its own so the simulator's sessions never mix
 * with a real account's. Its details (fake Apple ID, password, two-factor code) go to stderr.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { simEndpointsSchema, type SimEndpoints } from './sim-network.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const STATE_DIR = join(tmpdir(), 'icloud-photo-sync-cli-sim');
const STATE_FILE = join(STATE_DIR, 'simulator.json');
const LOG_FILE = join(STATE_DIR, 'simulator.log');

/** The simulator CLI's first output line, plus the process id to find it again. */
const stateSchema = z.object({ ...simEndpointsSchema.shape, pid: z.number().int(), port: z.number().int(), appleId: z.string(), password: z.string(), code: z.string() });
type SimState = z.infer<typeof stateSchema>;

export async function findOrStartSimulator(): Promise<SimEndpoints> {
  mkdirSync(STATE_DIR, { recursive: true });
  const state = (await runningSimulator()) ?? (await startSimulator());
  process.env.ICLOUD_PHOTO_SYNC_DATA_DIR ??= join(STATE_DIR, 'data');
  process.env.ICLOUD_PHOTO_SYNC_APPLE_ID ??= state.appleId;
  process.stderr.write(
    `cli:sim: simulator on 127.0.0.1:${state.port} (pid ${state.pid}; stop it with "kill ${state.pid}"), data folder ` +
      `${process.env.ICLOUD_PHOTO_SYNC_DATA_DIR}. Fake account: ${state.appleId}, password ${state.password}, code ${state.code}.\n`,
  );
  return { auth: state.auth, setup: state.setup, webOrigin: state.webOrigin };
}

async function runningSimulator(): Promise<SimState | undefined> {
  if (!existsSync(STATE_FILE)) return undefined;
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(STATE_FILE, 'utf8')));
  if (!parsed.success || !isAlive(parsed.data.pid) || !(await answers(parsed.data.port))) return undefined;
  return parsed.data;
}

async function startSimulator(): Promise<SimState> {
  const log = openSync(LOG_FILE, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/sim/cli.ts'), '--port', '0'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  for (let waited = 0; waited < 60_000; waited += 100) {
    const firstLine = readFileSync(LOG_FILE, 'utf8').split('\n')[0] ?? '';
    if (firstLine.startsWith('{')) {
      const state = stateSchema.parse({ ...JSON.parse(firstLine), pid: child.pid });
      writeFileSync(STATE_FILE, JSON.stringify(state));
      return state;
    }
    if (child.exitCode !== null) break;
    await delay(100);
  }
  throw new Error(`the simulator did not start; see ${LOG_FILE}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
