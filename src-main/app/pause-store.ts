/**
 * The pause the person chose, kept in the data folder so it survives a restart: a timed pause ends
 * by itself even if the app was closed meanwhile; "until resumed" stays until resumed.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writePrivateFileAtomic } from '../config/paths.js';

export const PAUSE_FILE = 'pause.json';

/** null: until resumed; a number: until then (ms since the epoch). */
export type Pause = { until: number | null };

const fileSchema = z.object({ until: z.iso.datetime({ offset: true }).nullable() });

export class PauseStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, PAUSE_FILE);
  }

  /** The stored pause, or null when not paused. A damaged file counts as no pause (the safe reading: syncing goes on). */
  read(): Pause | null {
    if (!existsSync(this.path)) return null;
    try {
      const parsed = fileSchema.parse(JSON.parse(readFileSync(this.path, 'utf8')));
      return { until: parsed.until === null ? null : Date.parse(parsed.until) };
    } catch {
      return null;
    }
  }

  write(pause: Pause | null): void {
    if (pause === null) rmSync(this.path, { force: true });
    else writePrivateFileAtomic(this.path, `${JSON.stringify({ until: pause.until === null ? null : new Date(pause.until).toISOString() })}\n`);
  }
}
