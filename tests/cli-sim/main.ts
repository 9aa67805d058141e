/**
 * `npm run cli:sim -- <args>`: the real `icloud-photo-sync` program (src-main/cli/run.ts), run
 * against the simulator instead of Apple. Development only; see sim-network.ts for who uses it.
 */
import { run } from '../../src-main/cli/run.js';
import { closeInput } from '../../src-main/cli/terminal-input.js';
import { closeLogging } from '../../src-main/log/logger.js';
import { findOrStartSimulator } from './background-sim.js';
import { SIM_ENDPOINTS_ENV, simEndpointsSchema, simNetwork } from './sim-network.js';

const given = process.env[SIM_ENDPOINTS_ENV];
const endpoints = given ? simEndpointsSchema.parse(JSON.parse(given)) : await findOrStartSimulator();
const exitCode = await run(process.argv, simNetwork(endpoints));
closeInput();
closeLogging();
process.stdout.write('', () => process.exit(exitCode));
