/**
 * Keeps V8's young generation at its starting size in the CLI (issue 11, memory). The CLI is a
 * short batch run whose live heap stays near 30 MB even at 300,000 tracked files, but a local scan
 * allocates names and keys fast enough that V8 grows the young generation to its 48 MB maximum,
 * which stays in the process's RSS for the rest of the run: a third of the no-change run's peak.
 * Imported first by run.ts, before anything allocates; the desktop app is not affected.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
