#!/usr/bin/env node
/** Entry point of `icloud-photo-sync` (see run.ts and README). */
import { closeLogging } from '../log/logger.js';
import { run } from './run.js';
import { closeInput } from './terminal-input.js';

const exitCode = await run(process.argv);
closeInput();
closeLogging();
// Flush stdout (a pipe may still hold the last lines) before leaving.
process.stdout.write('', () => process.exit(exitCode));
