/**
 * Keeps the CLI's V8 heap close to what it really uses (issue 11, memory and speed). Imported
 * first by run.ts, before anything allocates; the desktop app is not affected.
 *
 * - The young generation stays at its starting size: a local scan allocates names and keys fast
 *   enough that V8 grows it to its 48 MB maximum, which stays in the process's RSS for the rest of
 *   the run (a third of the no-change run's peak).
 * - While a run scans, lists and plans, the old generation is collected after 10 % growth instead
 *   of V8's default (up to about double): listing 100,000 photos leaves garbage at a steady pace,
 *   and with the default it piled up to 108 MB of heap (first sync of 100,000: 231-244 MB peak,
 *   against 136 MB with 10 %).
 * - While it downloads, V8's default pace is back (`paceHeapFor('transferring')`): collecting that
 *   often made V8 mark almost all the time, half as much CPU again for the 2,000-photo sync (29 s
 *   against 19 s) and 25 % slower downloads, to save 35 MB (README "Where the memory goes").
 */
import { setFlagsFromString } from 'node:v8';
import type { SyncPhase } from '../sync/sync-events.js';

/** Old-generation growth between full collections while a run builds its plan (percent). */
const PLANNING_GROWTH_PERCENT = 10;

setFlagsFromString('--semi-space-growth-factor=1');
let current: number | null = null;
paceHeapFor('listing');

/** Sets the old generation's pace for a run's phase; V8 applies it from its next collection on. */
export function paceHeapFor(phase: SyncPhase): void {
  // 0 is V8's own heuristic.
  const percent = phase === 'transferring' ? 0 : PLANNING_GROWTH_PERCENT;
  if (percent === current) return;
  current = percent;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
