import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SimLibrary } from '../library/index.js';

/** CloudKit web-service wire shapes (section 4.2 of the protocol notes). */

export type FieldValue = { value: unknown; type: string };
export type Fields = Record<string, FieldValue>;

export interface ZoneId {
  zoneName: string;
  ownerRecordName: string;
  zoneType: 'REGULAR_CUSTOM_ZONE';
}

export const field = {
  string: (value: string): FieldValue => ({ value, type: 'STRING' }),
  int: (value: number): FieldValue => ({ value, type: 'INT64' }),
  timestamp: (value: number): FieldValue => ({ value, type: 'TIMESTAMP' }),
  bytes: (text: string): FieldValue => ({ value: Buffer.from(text, 'utf8').toString('base64'), type: 'ENCRYPTED_BYTES' }),
};

export function zoneIdOf(library: SimLibrary, zoneName: string): ZoneId {
  return { zoneName, ownerRecordName: library.ownerRecordName, zoneType: 'REGULAR_CUSTOM_ZONE' };
}

/** The fixed "device" that created everything: CloudKit records carry one. */
const DEVICE_ID = '9DD8C6F0A6B44E1F8C1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A';

export interface RecordMeta {
  recordName: string;
  recordType: string;
  fields: Fields;
  changeTag: string;
  created: number;
  modified: number;
  zoneID: ZoneId;
}

/** A full record envelope, with `fields` cut to `desiredKeys` when the client sent them. */
export function recordEnvelope(meta: RecordMeta, desiredKeys?: ReadonlySet<string>): Record<string, unknown> {
  const fields = desiredKeys
    ? Object.fromEntries(Object.entries(meta.fields).filter(([name]) => desiredKeys.has(name)))
    : meta.fields;
  const stamp = (timestamp: number) => ({ timestamp, userRecordName: meta.zoneID.ownerRecordName, deviceID: DEVICE_ID });
  return {
    recordName: meta.recordName,
    recordType: meta.recordType,
    fields,
    pluginFields: {},
    recordChangeTag: meta.changeTag,
    created: stamp(meta.created),
    modified: stamp(meta.modified),
    deleted: false,
    zoneID: meta.zoneID,
  };
}

/** Request-level CloudKit error: `{uuid, serverErrorCode, reason}`. */
export function ckError(serverErrorCode: string, reason: string): Record<string, string> {
  return { uuid: randomUUID(), serverErrorCode, reason };
}

/** A value already in JSON (a cached record, record-cache.ts): `toJsonText` puts its text in place. */
export class RawJson {
  constructor(readonly text: string) {}

  /** JSON.stringify calls this: a marker that `toJsonText` swaps for the text (one stringify at a time: JS is single-threaded). */
  toJSON(): string {
    return `${RAW_MARK}${rawTexts.push(this.text) - 1}`;
  }
}

const RAW_MARK = '\u0000raw:';
const RAW_MARKER = /"\\u0000raw:(\d+)"/g;
let rawTexts: string[] = [];

/** JSON.stringify, with each RawJson's text in place. */
export function toJsonText(body: unknown): string {
  rawTexts = [];
  const text = JSON.stringify(body);
  if (rawTexts.length === 0) return text;
  const texts = rawTexts;
  rawTexts = [];
  return text.replace(RAW_MARKER, (_marker, index: string) => texts[Number(index)] ?? 'null');
}

export function sendCk(res: ServerResponse, status: number, body: unknown): void {
  const text = toJsonText(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Thrown inside a route to answer with a CloudKit error. */
export class CkFailure extends Error {
  constructor(
    readonly status: number,
    readonly serverErrorCode: string,
    reason: string,
  ) {
    super(reason);
  }
}
