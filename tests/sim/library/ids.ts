import { hash32, hashBytes } from './hash.js';

/**
 * Record ids and checksums are derived from (seed, serial, ...) and can be decoded back, so a
 * lookup by recordName or by download URL needs no index even with 100,000 assets. A keyed tag
 * inside each id makes forged or foreign ids fail to decode.
 */

const KIND_CHECKSUM = 0xc5;
const KIND_REFERENCE = 0x7e;
const KIND_WRAPPING_KEY = 0x3a;
const KIND_ASSET_UUID = 0xa5;
const KIND_ALBUM_UUID = 0xab;
const KIND_ZONE_UUID = 0x20;

export interface ResourceKey {
  serial: number;
  slot: number;
  version: number;
}

/** 28 base64 characters = 21 bytes, first byte 0x01, as Apple's MMCS checksums. */
export function resourceChecksum(seed: number, key: ResourceKey): string {
  const tag = hashBytes(13, seed, KIND_CHECKSUM, key.serial, key.slot, key.version);
  const payload = Buffer.alloc(7);
  payload.writeUInt32BE(key.serial, 0);
  payload.writeUInt8(key.slot, 4);
  payload.writeUInt16BE(key.version, 5);
  const mask = hashBytes(7, seed, tag.readUInt32BE(0));
  for (let i = 0; i < 7; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i] ?? 0);
  return Buffer.concat([Buffer.from([1]), payload, tag]).toString('base64');
}

/** The key behind a checksum made by `resourceChecksum`, or undefined for anything else. */
export function decodeResourceChecksum(seed: number, checksum: string): ResourceKey | undefined {
  if (!/^[A-Za-z0-9+/]{28}$/.test(checksum)) return undefined;
  const bytes = Buffer.from(checksum, 'base64');
  if (bytes.length !== 21 || bytes[0] !== 1) return undefined;
  const tag = bytes.subarray(8);
  const mask = hashBytes(7, seed, tag.readUInt32BE(0));
  const payload = Buffer.from(bytes.subarray(1, 8));
  for (let i = 0; i < 7; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i] ?? 0);
  const key = { serial: payload.readUInt32BE(0), slot: payload.readUInt8(4), version: payload.readUInt16BE(5) };
  return resourceChecksum(seed, key) === checksum ? key : undefined;
}

/** referenceChecksum: same shape as a checksum; downloaders never use it. */
export function referenceChecksum(seed: number, key: ResourceKey): string {
  const bytes = hashBytes(21, seed, KIND_REFERENCE, key.serial, key.slot, key.version);
  bytes[0] = 1;
  return bytes.toString('base64');
}

/** wrappingKey: 16 bytes, base64 (24 characters). */
export function wrappingKey(seed: number, key: ResourceKey): string {
  return hashBytes(16, seed, KIND_WRAPPING_KEY, key.serial, key.slot, key.version).toString('base64');
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function packedUuid(seed: number, kind: number, serial: number): string {
  const bytes = Buffer.concat([Buffer.alloc(4), hashBytes(12, seed, kind, serial)]);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  bytes.writeUInt32BE((serial ^ hash32(seed, kind, bytes.readUInt32BE(12))) >>> 0, 0);
  return formatUuid(bytes);
}

function unpackUuid(seed: number, kind: number, uuid: string): number | undefined {
  if (!/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(uuid)) return undefined;
  const bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  const serial = (bytes.readUInt32BE(0) ^ hash32(seed, kind, bytes.readUInt32BE(12))) >>> 0;
  return packedUuid(seed, kind, serial) === uuid ? serial : undefined;
}

/** CPLAsset recordName: an upper-case UUID. */
export const assetUuid = (seed: number, serial: number): string => packedUuid(seed, KIND_ASSET_UUID, serial);
export const decodeAssetUuid = (seed: number, uuid: string): number | undefined =>
  unpackUuid(seed, KIND_ASSET_UUID, uuid);
export const albumUuid = (seed: number, index: number): string => packedUuid(seed, KIND_ALBUM_UUID, index);
export const decodeAlbumUuid = (seed: number, uuid: string): number | undefined =>
  unpackUuid(seed, KIND_ALBUM_UUID, uuid);
export const zoneUuid = (seed: number): string => packedUuid(seed, KIND_ZONE_UUID, 0);

/** `_` + 32 hex characters, the shape of CloudKit's user record names. */
export function ownerRecordNameFor(seed: number): string {
  return `_${hashBytes(16, seed, 0x0e).toString('hex')}`;
}
