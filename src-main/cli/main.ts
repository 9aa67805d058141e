#!/usr/bin/env node
/** Entry point of `icloud-photo-sync` (see run.ts and README). */
import { setMaxListeners } from 'node:events';
import { closeLogging } from '../log/logger.js';
import { run } from './run.js';
import { closeInput } from './terminal-input.js';

// Each download in flight listens to the run's abort signals (up to 16 at once, plus retries).
setMaxListeners(100);
const exitCode = await run(process.argv);
closeInput();
closeLogging();
// Flush stdout (a pipe may still hold the last lines) before leaving.
process.stdout.write('', () => process.exit(exitCode));
