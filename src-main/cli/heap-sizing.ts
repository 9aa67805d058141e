/**
 * Keeps V8's heap close to what the CLI really uses (issue 11, memory). Imported first by run.ts,
 * before anything allocates; the desktop app is not affected.
 *
 * - The young generation stays at its starting size. The CLI is a short batch run whose live heap
 *   stays near 30 MB even at 300,000 tracked files, but a local scan allocates names and keys fast
 *   enough that V8 grows the young generation to its 48 MB maximum, which stays in the process's
 *   RSS for the rest of the run: a third of the no-change run's peak.
 * - The old generation may grow by 10 % between full collections instead of V8's default (up to
 *   about double). A sync lets garbage and spent network buffers reach the old generation at a
 *   steady pace, and with the default they piled up to 56 MB of heap or 60 MB of buffers before a
 *   full collection, most of the 2,000-photo sync's 150 MB peak; with 10 % the peak was 120-125 MB
 *   (README "Where the memory goes").
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--heap-growing-percent=10');
