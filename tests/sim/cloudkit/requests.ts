import { z } from 'zod';
import { CkFailure } from './wire.js';

/** Request bodies the simulator accepts, validated like Apple's server would refuse bad ones. */

const zoneIdSchema = z.looseObject({ zoneName: z.string().min(1) });

const filterSchema = z.looseObject({
  fieldName: z.string(),
  comparator: z.string(),
  fieldValue: z.looseObject({ value: z.unknown(), type: z.string().optional() }),
});

export const queryRequestSchema = z.looseObject({
  query: z.looseObject({
    recordType: z.string().min(1),
    // An array on records/query, a single object in HyperionIndexCountLookup: accept both.
    filterBy: z.union([z.array(filterSchema), filterSchema]).optional(),
  }),
  zoneID: zoneIdSchema,
  resultsLimit: z.number().int().positive().optional(),
  desiredKeys: z.array(z.string()).optional(),
  continuationMarker: z.string().optional(),
  zoneWide: z.boolean().optional(),
});
export type QueryRequest = z.infer<typeof queryRequestSchema>;
export type QueryFilter = z.infer<typeof filterSchema>;

export const batchRequestSchema = z.looseObject({ batch: z.array(queryRequestSchema).min(1) });

export const lookupRequestSchema = z.looseObject({
  records: z.array(z.looseObject({ recordName: z.string().min(1) })).min(1),
  zoneID: zoneIdSchema,
  desiredKeys: z.array(z.string()).optional(),
});

export const zoneChangesRequestSchema = z.looseObject({
  zones: z
    .array(
      z.looseObject({
        zoneID: zoneIdSchema,
        syncToken: z.string().optional(),
        resultsLimit: z.number().int().positive().optional(),
      }),
    )
    .min(1),
});

export const databaseChangesRequestSchema = z.looseObject({ syncToken: z.string().optional() }).nullable();

/** Parses a JSON body against a schema; a bad one is Apple's BAD_REQUEST (400). */
export function parseBody<T>(schema: z.ZodType<T>, body: Buffer): T {
  let json: unknown;
  try {
    json = body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    throw new CkFailure(400, 'BAD_REQUEST', 'Request body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CkFailure(400, 'BAD_REQUEST', `Invalid request: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'bad body'}`);
  }
  return parsed.data;
}

/** The value of one filter (`filterBy` entry) by field name. */
export function filterValue(filters: QueryFilter | QueryFilter[] | undefined, fieldName: string): unknown {
  const list = filters === undefined ? [] : Array.isArray(filters) ? filters : [filters];
  return list.find((f) => f.fieldName === fieldName)?.fieldValue.value;
}
