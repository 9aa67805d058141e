import { z } from 'zod';
import { DEFAULT_TEMPLATE, templateProblem } from './naming/path-template.js';

/** What to download and where: everything a user can choose. Defaults aim at a complete copy. */
export const selectionSchema = z.object({
  photos: z.boolean().default(true),
  videos: z.boolean().default(true),
  livePhotoVideos: z.boolean().default(true),
  originals: z.boolean().default(true),
  /** Edited versions, as extra files beside the originals. */
  edited: z.boolean().default(true),
  /** The second original of a RAW+JPEG pair. */
  rawAlternatives: z.boolean().default(true),
  includeShared: z.boolean().default(true),
  includeHidden: z.boolean().default(false),
  /** Only the N most recent items (by capture date). */
  recent: z.number().int().positive().nullable().default(null),
  /** Only items captured at or after this moment (ms since the epoch). */
  capturedAfter: z.number().int().nullable().default(null),
  /** Album names to include; empty means the whole library. */
  albums: z.array(z.string().min(1)).default([]),
});

export const layoutSchema = z.object({
  template: z
    .string()
    .default(DEFAULT_TEMPLATE)
    .superRefine((value, ctx) => {
      const problem = templateProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  dateZone: z.enum(['local', 'asset']).default('local'),
});

export const runTuningSchema = z.object({
  concurrency: z.number().int().min(1).max(32).default(6),
  /** Share of tracked files that may vanish in one go before the run stops (MASS_DELETION). */
  massDeletionShare: z.number().min(0).max(1).default(0.1),
  /** Fewer vanished files than this never count as a mass deletion. */
  massDeletionMinCount: z.number().int().min(1).default(5),
});

export const syncOptionsSchema = selectionSchema.extend(layoutSchema.shape).extend(runTuningSchema.shape);

export type SyncOptions = z.output<typeof syncOptionsSchema>;
export type SyncOptionsInput = z.input<typeof syncOptionsSchema>;

export function parseSyncOptions(input: SyncOptionsInput = {}): SyncOptions {
  return syncOptionsSchema.parse(input);
}

/** The settings whose change makes the stored change-feed position useless (a full listing is needed). */
export function listingFingerprint(options: SyncOptions): string {
  const selection = selectionSchema.parse(options);
  return JSON.stringify({ ...selection, template: options.template, dateZone: options.dateZone });
}
