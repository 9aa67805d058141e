import { z } from 'zod';
import { recordSchema, zoneIdSchema } from './record-schema.js';

/** Answers of the CloudKit calls the Photos client makes (spec 4.3-4.12). */

/** records/query and records/lookup. */
export const recordsResponseSchema = z.looseObject({
  records: z.array(recordSchema),
  continuationMarker: z.string().optional(),
  syncToken: z.string().optional(),
});
export type RecordsResponse = z.infer<typeof recordsResponseSchema>;

/** zones/list (and changes/database, which has the same zones list). */
export const zonesListResponseSchema = z.looseObject({
  zones: z.array(
    z.looseObject({
      zoneID: zoneIdSchema,
      syncToken: z.string().optional(),
      deleted: z.boolean().optional(),
    }),
  ),
  moreComing: z.boolean().optional(),
  syncToken: z.string().optional(),
});

/** internal/records/query/batch: one entry per query sent, in order. */
export const batchResponseSchema = z.looseObject({
  batch: z.array(
    z.looseObject({
      records: z.array(recordSchema).optional(),
      serverErrorCode: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
});

/**
 * changes/zone. A zone entry carries either records or a zone-level serverErrorCode (a rejected
 * token comes back as HTTP 200 with `BAD_REQUEST` here).
 */
export const changesZoneResponseSchema = z.looseObject({
  zones: z.array(
    z.looseObject({
      zoneID: zoneIdSchema,
      syncToken: z.string().optional(),
      moreComing: z.boolean().optional(),
      records: z.array(recordSchema).optional(),
      serverErrorCode: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
});
