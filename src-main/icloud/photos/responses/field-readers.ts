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

function rawValue(fields: Fields, name: string): unknown {
  return fields?.[name]?.value;
}

function readAs<T>(schema: z.ZodType<T>, fields: Fields, name: string, recordType: string): T | undefined {
  const value = rawValue(fields, name);
  if (value === undefined || value === null) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw protocolChanged(`Field ${recordType}.${name} has an unexpected shape.`);
  return parsed.data;
}

const int64Schema = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]);

export function readString(record: CloudKitRecord, name: string): string | undefined {
  return readAs(z.string(), record.fields, name, record.recordType ?? 'record');
}

export function readNumber(record: CloudKitRecord, name: string): number | undefined {
  return readAs(int64Schema, record.fields, name, record.recordType ?? 'record');
}

/** INT64 0/1 flags; Apple removes some of them instead of writing 0 (isDeleted after a restore). */
export function readFlag(record: CloudKitRecord, name: string): boolean {
  const value = readAs(z.union([int64Schema, z.boolean()]), record.fields, name, record.recordType ?? 'record');
  return value === true || (typeof value === 'number' && value !== 0);
}

export function readAssetId(record: CloudKitRecord, name: string): AssetIdValue | undefined {
  return readAs(assetIdValueSchema, record.fields, name, record.recordType ?? 'record');
}

/** The record name a REFERENCE field points at. */
export function readReference(record: CloudKitRecord, name: string): string | undefined {
  return readAs(referenceValueSchema, record.fields, name, record.recordType ?? 'record')?.recordName;
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
  const field = record.fields?.[name];
  const text = readAs(z.string(), record.fields, name, record.recordType ?? 'record');
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
