import { z } from 'zod';
import { protocolChanged } from '../photos-errors.js';
import {
  assetIdValueSchema,
  referenceValueSchema,
  type AssetIdValue,
  type CloudKitRecord,
} from './record-schema.js';

/**
 * Typed reads of record fields. A missing field is `undefined` (fields not applicable to a record
 * are simply absent); a present field of the wrong shape is PROTOCOL_CHANGED.
 */

type Fields = CloudKitRecord['fields'];

/**
 * The value of a field, undefined when absent. A field that is present but not a `{ value }`
 * object means Apple changed the record format.
 */
function rawValue(fields: Fields, name: string, recordType: string): unknown {
  const field = fields?.[name];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== 'object' || Array.isArray(field)) throw protocolChanged(`Field ${recordType}.${name} has an unexpected shape.`);
  return field.value;
}

// Schemas are built once: constructing a zod schema per read dominated the listing's CPU time.
const stringSchema = z.string();
const int64Schema = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]);
const flagSchema = z.union([int64Schema, z.boolean()]);

function readAs<T>(schema: z.ZodType<T>, record: CloudKitRecord, name: string): T | undefined {
  const recordType = record.recordType ?? 'record';
  const value = rawValue(record.fields, name, recordType);
  if (value === undefined || value === null) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw protocolChanged(`Field ${recordType}.${name} has an unexpected shape.`);
  return parsed.data;
}

export function readString(record: CloudKitRecord, name: string): string | undefined {
  return readAs(stringSchema, record, name);
}

export function readNumber(record: CloudKitRecord, name: string): number | undefined {
  return readAs(int64Schema, record, name);
}

/** INT64 0/1 flags; Apple removes some of them instead of writing 0 (isDeleted after a restore). */
export function readFlag(record: CloudKitRecord, name: string): boolean {
  const value = readAs(flagSchema, record, name);
  return value === true || (typeof value === 'number' && value !== 0);
}

export function readAssetId(record: CloudKitRecord, name: string): AssetIdValue | undefined {
  return readAs(assetIdValueSchema, record, name);
}

/** The record name a REFERENCE field points at. */
export function readReference(record: CloudKitRecord, name: string): string | undefined {
  return readAs(referenceValueSchema, record, name)?.recordName;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBase64Utf8(text: string): string | undefined {
  if (!BASE64.test(text)) return undefined;
  try {
    return strictUtf8.decode(Buffer.from(text, 'base64'));
  } catch {
    return undefined;
  }
}

/** For untyped values only: decoded text with control characters was probably not base64 at all. */
function looksDecoded(text: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex
  return text === undefined || /[\u0000-\u001f\u007f]/.test(text) ? undefined : text;
}

/**
 * Reads a `*Enc` text field (filenameEnc, albumNameEnc) and NFC-normalises it. ENCRYPTED_BYTES is
 * base64 of UTF-8; STRING is the plain text (seen in the wild). Without a type we decode when the
 * value is valid base64 of valid UTF-8 text: a real file name almost always contains a '.', '_' or
 * space, which base64 cannot, so plain names are not mistaken for base64. Typed names are
 * decoded as they are, control characters included: making them safe on disk is the engine's job.
 */
export function readEncodedText(record: CloudKitRecord, name: string): string | undefined {
  const text = readAs(stringSchema, record, name);
  const field = record.fields?.[name];
  if (text === undefined || field === undefined) return undefined;
  let decoded: string | undefined;
  if (field.type === 'STRING') decoded = text;
  else if (field.type === 'ENCRYPTED_BYTES') {
    decoded = decodeBase64Utf8(text);
    if (decoded === undefined) throw protocolChanged(`Field ${record.recordType ?? 'record'}.${name} is not base64 text.`);
  } else decoded = looksDecoded(decodeBase64Utf8(text)) ?? text;
  const normalised = decoded.normalize('NFC');
  return normalised.length > 0 ? normalised : undefined;
}
