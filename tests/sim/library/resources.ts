import { hash32, intBetween } from './hash.js';
import { referenceChecksum, resourceChecksum, wrappingKey, type ResourceKey } from './ids.js';
import type { AssetState } from './asset-state.js';
import type { ContentFormat, ResourceField, SimResource, SimSizes } from './types.js';

/** Slot numbers are part of each checksum, so they must never change. */
const SLOTS: readonly ResourceField[] = [
  'resOriginal',
  'resOriginalAlt',
  'resOriginalVidCompl',
  'resJPEGThumb',
  'resJPEGMed',
  'resVidSmall',
  'resJPEGFull',
  'resVidFull',
];

export const DEFAULT_SIZES: SimSizes = {
  photo: [16 * 1024, 256 * 1024],
  video: [128 * 1024, 2 * 1024 * 1024],
  raw: [128 * 1024, 1024 * 1024],
  liveVideo: [64 * 1024, 512 * 1024],
};

/** Every image resource is padded to at least this, well above what its encoded image needs. */
const IMAGE_FLOOR: Record<string, number> = { resJPEGThumb: 4096, resJPEGMed: 8192, default: 16384 };

const UTI: Record<ContentFormat, string> = {
  jpeg: 'public.jpeg',
  png: 'public.png',
  heic: 'public.heic',
  mov: 'com.apple.quicktime-movie',
  raw: 'com.adobe.raw-image',
};

function utiOf(format: ContentFormat, alternateRaw = false): string {
  return format === 'raw' && alternateRaw ? 'com.canon.cr2-raw-image' : UTI[format];
}

function isPortrait(seed: number, serial: number): boolean {
  return hash32(seed, serial, 0x70) % 3 === 0;
}

function dims(seed: number, serial: number, long: number, short: number): [number, number] {
  return isPortrait(seed, serial) ? [short, long] : [long, short];
}

interface SlotSpec {
  format: ContentFormat;
  on: 'master' | 'asset';
  size: [number, number];
  dims: [number, number];
  alternateRaw?: boolean;
}

/** What a slot holds for this asset, or undefined when the asset has no such resource. */
function slotSpec(seed: number, state: AssetState, slot: number, sizes: SimSizes): SlotSpec | undefined {
  const s = state.serial;
  const photo = state.kind !== 'mov';
  const originalFormat: ContentFormat = state.rawPair === 'raw-original' ? 'raw' : state.kind === 'mov' ? 'mov' : state.kind;
  const bigDims = (format: ContentFormat): [number, number] =>
    format === 'jpeg' || format === 'png'
      ? dims(seed, s, 96, 72)
      : format === 'raw'
        ? dims(seed, s, 6000, 4000)
        : format === 'mov'
          ? dims(seed, s, 1920, 1080)
          : dims(seed, s, 4032, 3024);
  const sizeOf = (format: ContentFormat): [number, number] =>
    format === 'raw' ? sizes.raw : format === 'mov' ? sizes.video : sizes.photo;
  switch (SLOTS[slot]) {
    case 'resOriginal':
      return { format: originalFormat, on: 'master', size: sizeOf(originalFormat), dims: bigDims(originalFormat) };
    case 'resOriginalAlt': {
      if (state.rawPair === 'none') return undefined;
      const format: ContentFormat = state.rawPair === 'raw-original' ? 'jpeg' : 'raw';
      return { format, on: 'master', size: sizeOf(format), dims: bigDims(format), alternateRaw: true };
    }
    case 'resOriginalVidCompl':
      return state.live ? { format: 'mov', on: 'master', size: sizes.liveVideo, dims: dims(seed, s, 1440, 1080) } : undefined;
    case 'resJPEGThumb':
      // Apple renders a JPEG thumbnail for photos only; a video's small rendition is resVidSmall.
      if (state.noThumbnail || !photo) return undefined;
      return { format: 'jpeg', on: 'master', size: [4096, 8192], dims: dims(seed, s, 32, 24) };
    case 'resJPEGMed':
      return photo ? { format: 'jpeg', on: 'master', size: [8192, 24576], dims: dims(seed, s, 64, 48) } : undefined;
    case 'resVidSmall':
      return photo ? undefined : { format: 'mov', on: 'master', size: [32768, 131072], dims: dims(seed, s, 640, 360) };
    case 'resJPEGFull':
      return photo && state.editVersion > 0
        ? { format: 'jpeg', on: 'asset', size: sizes.photo, dims: dims(seed, s, 96, 72) }
        : undefined;
    case 'resVidFull':
      return !photo && state.editVersion > 0
        ? { format: 'mov', on: 'asset', size: sizes.video, dims: dims(seed, s, 1920, 1080) }
        : undefined;
    default:
      return undefined;
  }
}

/** The resource in `slot` at `version` (edit renditions have one version per edit). */
export function resourceAt(
  seed: number,
  state: AssetState,
  key: ResourceKey,
  sizes: SimSizes,
): SimResource | undefined {
  const spec = slotSpec(seed, state, key.slot, sizes);
  const field = SLOTS[key.slot];
  if (!spec || !field) return undefined;
  const imageFloor = IMAGE_FLOOR[field] ?? sizes.imageFloor ?? IMAGE_FLOOR.default ?? 0;
  const min = spec.format === 'jpeg' || spec.format === 'png' ? Math.max(spec.size[0], imageFloor) : spec.size[0];
  const max = Math.max(min, spec.size[1]);
  const size =
    key.slot === 0 && state.originalSize !== undefined
      ? Math.max(min, state.originalSize)
      : intBetween(min, max, seed, key.serial, key.slot, key.version, 0x51);
  return {
    field,
    on: spec.on,
    fileChecksum: resourceChecksum(seed, key),
    referenceChecksum: referenceChecksum(seed, key),
    wrappingKey: wrappingKey(seed, key),
    size,
    fileType: utiOf(spec.format, spec.alternateRaw),
    format: spec.format,
    width: spec.dims[0],
    height: spec.dims[1],
  };
}

/** Slots from here on are edit renditions, carried by the CPLAsset. */
export const FIRST_EDIT_SLOT = 6;

/**
 * The current resources of an asset, master ones first. The master's come from the state that owns
 * the master (a Duplicate's source), the edit from the asset's own state.
 */
export function resourcesOf(seed: number, masterState: AssetState, state: AssetState, sizes: SimSizes): SimResource[] {
  const list: SimResource[] = [];
  for (let slot = 0; slot < SLOTS.length; slot++) {
    const owner = slot >= FIRST_EDIT_SLOT ? state : masterState;
    const version = slot >= FIRST_EDIT_SLOT ? state.editVersion : 0;
    const resource = resourceAt(seed, owner, { serial: owner.serial, slot, version }, sizes);
    if (resource) list.push(resource);
  }
  return list;
}

/** Adjustment type as Apple records it for edits. */
export function adjustmentTypeOf(state: AssetState): string | undefined {
  if (state.editVersion === 0) return undefined;
  return state.kind === 'mov' ? 'com.apple.video.slomo' : 'com.apple.photo';
}
