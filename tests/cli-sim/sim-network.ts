/**
 * The one way to point the real CLI at the simulator (the installed CLI has none: see
 * src-main/cli/network.ts). Used by the CLI integration tests, the demo and the benchmarks:
 *
 *   spawn(...cliSimCommand(), ...args], { env: { ...cliSimEnv(sim.urls), ... } })
 *
 * runs `main.ts` here, which runs the CLI program with the given simulator's endpoints and the
 * `*.test` resolver injected. Without CLI_SIM_ENDPOINTS, main.ts finds or starts a simulator
 * itself (background-sim.ts), for developers trying the CLI: `npm run cli:sim -- <args>`.
 */
import type { LookupFunction } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { CliNetwork } from '../../src-main/cli/network.js';
import { simLookup } from '../sim/lookup.js';

/** JSON {"auth","setup","webOrigin"} of a running simulator; read by main.ts only, never by the product. */
export const SIM_ENDPOINTS_ENV = 'CLI_SIM_ENDPOINTS';

export const simEndpointsSchema = z.object({ auth: z.url(), setup: z.url(), webOrigin: z.url() }).strict();
export type SimEndpoints = z.infer<typeof simEndpointsSchema>;

const ROOT = new URL('../../', import.meta.url).pathname;

/** The command that runs the CLI against a simulator: node with tsx, then main.ts. */
export function cliSimCommand(): [string, ...string[]] {
  return [process.execPath, '--import', 'tsx', join(ROOT, 'tests/cli-sim/main.ts')];
}

/** The environment variable that hands a simulator's endpoints to main.ts. */
export function cliSimEnv(urls: SimEndpoints): NodeJS.ProcessEnv {
  return { [SIM_ENDPOINTS_ENV]: JSON.stringify({ auth: urls.auth, setup: urls.setup, webOrigin: urls.webOrigin }) };
}

/** What main.ts injects into the CLI program: the simulator's URLs, its host names resolved to 127.0.0.1. */
export function simNetwork(endpoints: SimEndpoints): CliNetwork {
  return { endpoints, dnsLookup: simLookup as unknown as LookupFunction };
}
