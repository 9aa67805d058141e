import { z } from 'zod';

/**
 * Apple's CloudKit record shapes (spec 4.2). Objects are loose: Apple adds fields over time and a
 * new field must never break a listing. Only what the client reads is required.
 */

export const zoneIdSchema = z.looseObject({
  zoneName: z.string(),
  ownerRecordName: z.string().optional(),
  zoneType: z.string().optional(),
});
export type ZoneId = z.infer<typeof zoneIdSchema>;

/** `{ value, type }`; `type` is missing on some values (fixtures, changes/zone), so never rely on it. */
export interface FieldValue {
  value?: unknown;
  type?: string;
}

/**
 * A record's `fields` must be an object; each field inside is checked only when the client reads it
 * (field-readers.ts). Validating all ~60 fields of every record up front, most of them never read,
 * cost more than the rest of the listing (bench/README.md, listing).
 */
const fieldsSchema = z.custom<Record<string, FieldValue | undefined>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { message: 'fields is not an object' },
);

/** The value of an ASSETID field: one downloadable resource. */
export const assetIdValueSchema = z.looseObject({
  fileChecksum: z.string().optional(),
  size: z.number().int().nonnegative(),
  downloadURL: z.string().min(1),
  wrappingKey: z.string().optional(),
  referenceChecksum: z.string().optional(),
});
export type AssetIdValue = z.infer<typeof assetIdValueSchema>;

/** The value of a REFERENCE field, e.g. CPLAsset.masterRef. */
export const referenceValueSchema = z.looseObject({
  recordName: z.string().min(1),
  action: z.string().optional(),
  zoneID: zoneIdSchema.optional(),
});

/**
 * Every record, including the two degenerate forms: a purged (hard-deleted) record from
 * changes/zone, `{recordName, recordType: null, deleted: true, recordChangeTag}` with `fields`
 * absent or null (kei's recorded traffic, spec 4.12), and a record carrying its own
 * `serverErrorCode` (e.g. ACCESS_DENIED on one revoked shared item). Record types we do not use
 * pass as any string and are skipped by the readers.
 */
export const recordSchema = z.looseObject({
  recordName: z.string(),
  recordType: z.string().nullish(),
  fields: fieldsSchema.nullish(),
  recordChangeTag: z.string().optional(),
  deleted: z.boolean().optional(),
  zoneID: zoneIdSchema.optional(),
  serverErrorCode: z.string().optional(),
  reason: z.string().optional(),
});
export type CloudKitRecord = z.infer<typeof recordSchema>;
