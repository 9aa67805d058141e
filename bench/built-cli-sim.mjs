/**
 * The compiled CLI program (dist/, from `npm run build`) against the benchmark's simulator: plain
 * JavaScript, so the benchmark measures the built product under plain node, not tsx. It injects
 * what tests/cli-sim/main.ts injects from source: the simulator's endpoints (CLI_SIM_ENDPOINTS) and
 * a resolver that answers 127.0.0.1 for the simulator's *.test hosts and refuses every other name.
 */
import { run } from '../dist/node/src-main/cli/run.js';
import { closeInput } from '../dist/node/src-main/cli/terminal-input.js';
import { closeLogging } from '../dist/node/src-main/log/logger.js';

const endpoints = JSON.parse(process.env.CLI_SIM_ENDPOINTS ?? 'null');
if (!endpoints) throw new Error('built-cli-sim.mjs needs CLI_SIM_ENDPOINTS (bench/built-cli.ts sets it)');

function simLookup(hostname, optionsOrCallback, maybeCallback) {
  const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
  const options = typeof optionsOrCallback === 'object' ? optionsOrCallback : {};
  process.nextTick(() => {
    if (!hostname.toLowerCase().replace(/\.$/, '').endsWith('.test')) {
      callback(Object.assign(new Error(`only *.test hosts resolve here, not ${hostname}`), { code: 'ENOTFOUND' }));
    } else if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  });
}

const exitCode = await run(process.argv, { endpoints, dnsLookup: simLookup });
closeInput();
closeLogging();
process.stdout.write('', () => process.exit(exitCode));
