import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Simulator, SimulatorOptions } from '../tests/sim/server.js';

export interface SimProcess {
  urls: Simulator['urls'];
  account: Simulator['account'];
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./sim-child.ts', import.meta.url));

/** Starts the simulator in a child process (tsx) and resolves once it listens. */
export function startSimProcess(options: Partial<SimulatorOptions>): Promise<SimProcess> {
  const child = fork(CHILD, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the simulator process exited early (code ${code})`)));
    child.once('message', (message) => {
      const ready = message as Pick<SimProcess, 'urls' | 'account'>;
      resolve({
        urls: ready.urls,
        account: ready.account,
        close: async () => {
          if (child.connected) child.send('close');
          await exited;
        },
      });
    });
  });
}
