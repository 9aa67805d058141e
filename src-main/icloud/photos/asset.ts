/**
 * What the iCloud client hands to the sync engine: one library entry, already decoded and
 * validated. Nothing here is an Apple wire shape; see responses/ for those.
 */

/** Which copy of an asset a resource is. */
export type ResourceVersion =
  | 'original' // resOriginalRes
  | 'alternative' // resOriginalAltRes: the other half of a RAW+JPEG pair
  | 'live-video' // resOriginalVidComplRes: the motion part of a Live Photo
  | 'edited'; // resJPEGFullRes / resVidFullRes on the CPLAsset, when adjustmentType is set

export interface AssetResource {
  version: ResourceVersion;
  /** Pre-signed, expiring download URL. Refresh through PhotoLibrary.refreshResource when it fails. */
  downloadUrl: string;
  size: number;
  /** Apple's fileChecksum: a stable content id, NOT a hash of the bytes. Never use it to verify data. */
  fileChecksum: string;
  /** Uniform type identifier, e.g. public.jpeg, public.heic, com.apple.quicktime-movie. */
  uti: string;
  /** File name for this resource, derived from the asset's name and the resource type (e.g. IMG_0001.MOV). */
  filename: string;
}

export type LibraryKind = 'personal' | 'shared';

/** The small JPEG Apple renders of an asset (resJPEGThumbRes on the master), for previews only. */
export interface AssetThumbnail {
  /** Pre-signed, expiring; a fresh one comes from records/lookup of the master. */
  downloadUrl: string;
  size: number;
  /** Uniform type identifier (resJPEGThumbFileType), public.jpeg in recorded data. */
  uti: string;
}

export interface ICloudAsset {
  /**
   * Identity of the original (and of everything else on the master: RAW alternative, Live video)
   * across runs and libraries: the CPLMaster record name, which Apple derives from the original's
   * content (it equals resOriginalFingerprint). A photo moved between the personal and the shared
   * library keeps it, so it is one photo. Several entries can share it (iOS "Duplicate").
   */
  id: string;
  /**
   * Identity of this entry's edited version: `<master>:<the edit's fileChecksum>`, null when the
   * entry has no edit. Each Duplicate has its own edit, so its own identity; the same edit in the
   * personal and the shared library is the same identity (the CPLAsset record name differs).
   */
  editId: string | null;
  /** CPLAsset record name (a UUID): differs per library entry. */
  assetRecordName: string;
  masterRecordName: string;
  zoneName: string;
  library: LibraryKind;
  /** Original file name, decoded from filenameEnc and NFC-normalised. Not yet sanitised for disk. */
  filename: string;
  mediaType: 'photo' | 'video';
  /** Capture date, ms since the Unix epoch (UTC). */
  assetDate: number;
  /** Seconds east of UTC at capture, when Apple recorded it. */
  timeZoneOffsetSeconds: number | null;
  /** When the item was added to the library, ms since the Unix epoch (UTC). */
  addedDate: number;
  isFavorite: boolean;
  isHidden: boolean;
  /** The CPLAsset's recordChangeTag: changes when the asset is edited. */
  changeTag: string;
  /** adjustmentType when the asset has an edit (e.g. com.apple.photo). */
  adjustmentType: string | null;
  resources: AssetResource[];
  /** Absent when Apple sent no resJPEGThumbRes. */
  thumbnail?: AssetThumbnail;
  /** Videos: length in seconds (the CPLAsset's duration field), when Apple sent it. */
  durationSeconds?: number;
}

/** What a view needs to preview one arrived file: enough to fetch (or refresh) the thumbnail later. */
export interface ArrivalPreview {
  mediaType: ICloudAsset['mediaType'];
  durationSeconds: number | null;
  zoneName: string;
  masterRecordName: string;
  /** Null when the listing carried no thumbnail URL: records/lookup of the master may still find one. */
  thumbnail: AssetThumbnail | null;
}

export function previewOf(asset: ICloudAsset): ArrivalPreview {
  return {
    mediaType: asset.mediaType,
    durationSeconds: asset.durationSeconds ?? null,
    zoneName: asset.zoneName,
    masterRecordName: asset.masterRecordName,
    thumbnail: asset.thumbnail ?? null,
  };
}

/** Joins a master record name and an edit's fileChecksum into an edit identity. */
export function editIdOf(masterRecordName: string, editChecksum: string): string {
  return `${masterRecordName}:${editChecksum}`;
}

/** Whose file a resource is: the edit's own identity for the edited version, the master's for the rest. */
export function fileOwnerOf(asset: Pick<ICloudAsset, 'id' | 'editId'>, version: ResourceVersion): string {
  return version === 'edited' && asset.editId !== null ? asset.editId : asset.id;
}

/**
 * One library entry as the run keeps it: entries with the same original and the same edit (or no
 * edit) are the same photo, whichever library they come from; a Duplicate with its own edit is not.
 */
export function entryKeyOf(asset: Pick<ICloudAsset, 'id' | 'editId'>): string {
  return asset.editId ?? asset.id;
}
