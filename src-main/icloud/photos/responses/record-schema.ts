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
export const fieldValueSchema = z.looseObject({
  value: z.unknown(),
  type: z.string().optional(),
});
export type FieldValue = z.infer<typeof fieldValueSchema>;

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
 * Every record, including the two degenerate forms: a purged record from changes/zone
 * (`{recordName, deleted: true}`, no type, no fields) and a record carrying its own
 * `serverErrorCode` (e.g. ACCESS_DENIED on one revoked shared item).
 */
export const recordSchema = z.looseObject({
  recordName: z.string(),
  recordType: z.string().optional(),
  fields: z.record(z.string(), fieldValueSchema).optional(),
  recordChangeTag: z.string().optional(),
  deleted: z.boolean().optional(),
  zoneID: zoneIdSchema.optional(),
  serverErrorCode: z.string().optional(),
  reason: z.string().optional(),
});
export type CloudKitRecord = z.infer<typeof recordSchema>;
