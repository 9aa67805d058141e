import { z } from 'zod';

/**
 * The one contract between the engine and any view. The Electron preload implements it over IPC;
 * the local web page implements it over HTTP. Every value crossing either boundary is parsed with
 * these schemas first.
 */
export const syncPhaseSchema = z.enum(['idle', 'signing-in', 'needs-code', 'listing', 'downloading', 'error']);
export type SyncPhase = z.infer<typeof syncPhaseSchema>;

export const lastRunSchema = z.object({
  finishedAt: z.string(),
  outcome: z.enum(['success', 'partial', 'failed', 'stopped']),
  downloaded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});

export const appSnapshotSchema = z.object({
  phase: syncPhaseSchema,
  accountName: z.string().nullable(),
  syncFolder: z.string().nullable(),
  /** Plain-language line for the status area. */
  message: z.string(),
  progress: z
    .object({ filesDone: z.number().int().nonnegative(), filesTotal: z.number().int().nonnegative(), bytesDone: z.number().nonnegative() })
    .nullable(),
  lastRun: lastRunSchema.nullable(),
});
export type AppSnapshot = z.infer<typeof appSnapshotSchema>;

export const INITIAL_SNAPSHOT: AppSnapshot = {
  phase: 'idle',
  accountName: null,
  syncFolder: null,
  message: 'Not set up yet: choose your Apple ID and a folder in Settings.',
  progress: null,
  lastRun: null,
};

/** What a view may ask of the engine. Listeners return a function that unsubscribes. */
export interface AppBridge {
  getSnapshot(): Promise<AppSnapshot>;
  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void;
}
