import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PhaseSeconds {
  /** Local scan: the folder walk against the tracker. */
  scan: number;
  listing: number;
  /** Download, hash, fsync, rename, tracker rows. */
  transfer: number;
}

/**
 * Seconds spent in each phase of the CLI's last sync, from the times of the phase lines it logs
 * ("scanning...", "listing...", "plan: ...", "transferring...", "finishing...") in the data folder.
 */
export function lastRunPhases(dataDir: string): PhaseSeconds {
  const logs = join(dataDir, 'logs');
  const lines = readdirSync(logs).sort().flatMap((name) => readFileSync(join(logs, name), 'utf8').split('\n'));
  const at: Record<string, number> = {};
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const { msg, time } = JSON.parse(line) as { msg?: string; time?: number | string };
    const phase = msg === undefined ? undefined : msg.startsWith('plan:') ? 'planning' : /^(\w+)\.\.\.$/.exec(msg)?.[1];
    if (phase && time !== undefined) at[phase] = typeof time === 'number' ? time : Date.parse(time);
  }
  const span = (from: string, to: string) => (at[from] !== undefined && at[to] !== undefined ? (at[to] - at[from]) / 1000 : NaN);
  return { scan: span('scanning', 'listing'), listing: span('listing', 'planning'), transfer: span('transferring', 'finishing') };
}
