import { editIdOf, type AssetResource, type AssetThumbnail, type ICloudAsset, type LibraryKind, type ResourceVersion } from './asset.js';
import { fallbackFilename, resourceFilename } from './resource-names.js';
import {
  readAssetId,
  readEncodedText,
  readFlag,
  readNumber,
  readReference,
  readString,
} from './responses/field-readers.js';
import type { AssetIdValue, CloudKitRecord } from './responses/record-schema.js';
import { isVideoUti } from './uti-extensions.js';

/** Where a pair of records came from. */
export interface PairOrigin {
  zoneName: string;
  library: LibraryKind;
}

export type MappingResult = { ok: true; asset: ICloudAsset } | { ok: false; reason: string };

/** Field prefix of each resource (spec 4.7); the URL is in `<prefix>Res`, the type in `<prefix>FileType`. */
export function resourcePrefix(version: ResourceVersion, isVideo: boolean): string {
  switch (version) {
    case 'original':
      return 'resOriginal';
    case 'alternative':
      return 'resOriginalAlt';
    case 'live-video':
      return 'resOriginalVidCompl';
    case 'edited':
      return isVideo ? 'resVidFull' : 'resJPEGFull';
  }
}

/** Apple's small rendered JPEG (spec 4.7: `JPEGThumb`), on the master. */
export const THUMBNAIL_FIELD = 'resJPEGThumbRes';

/** The thumbnail, when the master carries one; its type defaults to JPEG, as its name says. */
export function readThumbnail(master: CloudKitRecord): AssetThumbnail | undefined {
  const value = previewField(() => readAssetId(master, THUMBNAIL_FIELD));
  if (!value) return undefined;
  return { downloadUrl: value.downloadURL, size: value.size, uti: previewField(() => readString(master, 'resJPEGThumbFileType')) ?? 'public.jpeg' };
}

/** A preview-only field of an unexpected shape is left out: it is not worth failing the asset (and the sync) over. */
function previewField<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The resources the master record carries; the edited one is on the asset (editedResource). */
const MASTER_RESOURCES: ReadonlyArray<ResourceVersion> = ['original', 'alternative', 'live-video'];

interface FoundResource {
  value: AssetIdValue;
  uti: string | undefined;
}

function readResource(record: CloudKitRecord, prefix: string): FoundResource | undefined {
  const value = readAssetId(record, `${prefix}Res`);
  return value ? { value, uti: readString(record, `${prefix}FileType`) } : undefined;
}

/**
 * The edited rendition lives on the CPLAsset (resJPEGFull for photos, resVidFull for videos);
 * icloudpd also looks on the master, so we do too. Only meaningful while adjustmentType is set.
 */
function editedResource(master: CloudKitRecord, asset: CloudKitRecord, isVideo: boolean): FoundResource | undefined {
  const prefix = resourcePrefix('edited', isVideo);
  return readResource(asset, prefix) ?? readResource(master, prefix);
}

/**
 * Turns one CPLMaster + CPLAsset pair into what the engine consumes. The original's identity is the
 * master's record name: Apple derives it from the original's content, so the same photo in the
 * personal and the shared library (or after a move between them) is one photo. The edit's identity
 * is the master plus the edit's own checksum (editId): Duplicates share a master but not an edit.
 * The CPLAsset's record name, which differs per library entry, is kept as assetRecordName.
 */
export function mapAssetPair(master: CloudKitRecord, asset: CloudKitRecord, origin: PairOrigin): MappingResult {
  const original = readResource(master, resourcePrefix('original', false));
  if (!original) return { ok: false, reason: 'no original resource' };
  const originalUti = original.uti ?? readString(master, 'itemType');
  const itemType = readString(master, 'itemType') ?? originalUti;
  const isVideo = isVideoUti(itemType);
  const filename = readEncodedText(master, 'filenameEnc') ?? fallbackFilename(master.recordName, itemType);
  const adjustmentType = readString(asset, 'adjustmentType') ?? null;

  const found: Array<[ResourceVersion, FoundResource]> = [];
  for (const version of MASTER_RESOURCES) {
    const resource = readResource(master, resourcePrefix(version, isVideo));
    if (resource && !(version === 'live-video' && isVideo)) found.push([version, resource]);
  }
  const edited = adjustmentType ? editedResource(master, asset, isVideo) : undefined;
  if (edited) found.push(['edited', edited]);

  const resources: AssetResource[] = found.map(([version, { value, uti }]) => {
    const resourceUti = uti ?? (version === 'original' ? (originalUti ?? 'public.data') : 'public.data');
    return {
      version,
      downloadUrl: value.downloadURL,
      size: value.size,
      fileChecksum: value.fileChecksum ?? '',
      uti: resourceUti,
      filename: resourceFilename(version, filename, originalUti, resourceUti),
    };
  });

  const assetDate = readNumber(asset, 'assetDate');
  const addedDate = readNumber(asset, 'addedDate');
  const thumbnail = readThumbnail(master);
  const duration = isVideo ? previewField(() => readNumber(asset, 'duration')) : undefined;
  return {
    ok: true,
    asset: {
      id: master.recordName,
      editId: edited ? editIdOf(master.recordName, edited.value.fileChecksum ?? '') : null,
      assetRecordName: asset.recordName,
      masterRecordName: master.recordName,
      zoneName: origin.zoneName,
      library: origin.library,
      filename,
      mediaType: isVideo ? 'video' : 'photo',
      // Apple always sends both dates; the fallbacks keep an odd record usable rather than fatal.
      assetDate: assetDate ?? addedDate ?? 0,
      timeZoneOffsetSeconds: readNumber(asset, 'timeZoneOffset') ?? null,
      addedDate: addedDate ?? assetDate ?? 0,
      isFavorite: readFlag(asset, 'isFavorite'),
      isHidden: readFlag(asset, 'isHidden'),
      changeTag: asset.recordChangeTag ?? '',
      adjustmentType,
      resources,
      ...(thumbnail ? { thumbnail } : {}),
      ...(duration !== undefined && duration >= 0 ? { durationSeconds: duration } : {}),
    },
  };
}

/** The master record name a CPLAsset points at. */
export function masterNameOf(asset: CloudKitRecord): string | undefined {
  return readReference(asset, 'masterRef');
}
