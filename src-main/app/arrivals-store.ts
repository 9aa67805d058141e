/**
 * The recent arrivals, kept in the data folder (`recent-arrivals.json`) so the status view shows the
 * same strip after a restart; their thumbnails stay in the thumbnail cache. An arrival whose
 * thumbnail was still pending (the run stopped before the thumbnails were fetched) keeps what
 * finding it needs, the zone and the master record, but never the run's pre-signed link: the next
 * run fetches it with records/lookup. Written to a temp name, fsynced and renamed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { arrivalSchema, type Arrival } from '../../src-shared/snapshot.js';
import { writePrivateFileAtomic } from '../config/paths.js';
import type { ArrivalPreview } from '../icloud/photos/asset.js';

export const ARRIVALS_FILE = 'recent-arrivals.json';

const pendingSchema = z.object({
  mediaType: z.enum(['photo', 'video']),
  durationSeconds: z.number().nonnegative().nullable(),
  zoneName: z.string(),
  masterRecordName: z.string(),
});
const fileSchema = z.object({
  version: z.literal(1),
  /** The arrivals of another account are not shown. */
  appleId: z.string(),
  arrivals: z.array(arrivalSchema),
  pending: z.record(z.string(), pendingSchema),
});

export interface StoredArrivals {
  arrivals: Arrival[];
  /** What fetching the pending thumbnails needs, by Arrival.assetId. */
  previews: Map<string, ArrivalPreview>;
}

export class ArrivalsStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, ARRIVALS_FILE);
  }

  /** The stored arrivals of this account; none when there are none, or the file is damaged (only a strip of pictures is lost). */
  read(appleId: string): StoredArrivals {
    const empty: StoredArrivals = { arrivals: [], previews: new Map() };
    if (!existsSync(this.path)) return empty;
    try {
      const stored = fileSchema.parse(JSON.parse(readFileSync(this.path, 'utf8')));
      if (stored.appleId !== appleId) return empty;
      const previews = new Map(Object.entries(stored.pending).map(([key, pending]) => [key, { ...pending, thumbnail: null }]));
      return { arrivals: stored.arrivals, previews };
    } catch {
      return empty;
    }
  }

  write(appleId: string, arrivals: readonly Arrival[], previews: ReadonlyMap<string, ArrivalPreview>): void {
    const pending: Record<string, z.infer<typeof pendingSchema>> = {};
    for (const arrival of arrivals) {
      const preview = previews.get(arrival.assetId);
      if (arrival.thumbnail !== 'pending' || !preview) continue;
      pending[arrival.assetId] = { mediaType: preview.mediaType, durationSeconds: preview.durationSeconds, zoneName: preview.zoneName, masterRecordName: preview.masterRecordName };
    }
    writePrivateFileAtomic(this.path, `${JSON.stringify({ version: 1, appleId, arrivals, pending })}\n`);
  }
}
