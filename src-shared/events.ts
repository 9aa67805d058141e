/** What the service tells every view, as it happens. */
import { z } from 'zod';
import { appSnapshotSchema, arrivalSchema, progressSchema, runViewSchema } from './snapshot.js';

export const appEventSchema = z.discriminatedUnion('type', [
  /** The snapshot changed (at most a few times a second during a run). */
  z.object({ type: z.literal('snapshot'), snapshot: appSnapshotSchema }),
  /** Progress of the running sync (at most a few times a second). */
  z.object({ type: z.literal('progress'), progress: progressSchema }),
  z.object({ type: z.literal('run-finished'), run: runViewSchema }),
  /** Files that arrived in the folder since the last such event. */
  z.object({ type: z.literal('files-arrived'), files: z.array(arrivalSchema) }),
]);
export type AppEvent = z.infer<typeof appEventSchema>;
