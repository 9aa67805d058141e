import type { AssetResource, ICloudAsset } from '../icloud/photos/asset.js';
import { splitExtension } from './naming/sanitize.js';
import type { SyncOptions } from './sync-options.js';

/** A resource to keep, with the file name it gets on disk (before sanitising). */
export interface WantedResource {
  resource: AssetResource;
  fileName: string;
}

/**
 * The files one asset contributes under the options. Without originals an unedited asset still
 * gives its original (there is nothing else to show). Edited versions never share the original's
 * name: "IMG_1.JPG" edited becomes "IMG_1-edited.JPG", so an edit never overwrites the original.
 */
export function wantedResources(asset: ICloudAsset, options: SyncOptions): WantedResource[] {
  const byVersion = new Map(asset.resources.map((r) => [r.version, r]));
  const original = byVersion.get('original');
  const edited = asset.adjustmentType !== null ? byVersion.get('edited') : undefined;
  const wantEdited = options.edited && edited !== undefined;
  const wantOriginal = options.originals || !wantEdited;
  const out: WantedResource[] = [];
  if (wantOriginal && original) out.push({ resource: original, fileName: original.filename });
  const alternative = byVersion.get('alternative');
  if (wantOriginal && options.rawAlternatives && alternative) out.push({ resource: alternative, fileName: alternative.filename });
  const live = byVersion.get('live-video');
  if (options.livePhotoVideos && live) out.push({ resource: live, fileName: live.filename });
  if (wantEdited && edited) out.push({ resource: edited, fileName: editedName(edited.filename, original?.filename ?? asset.filename) });
  return out;
}

function editedName(editedFile: string, originalFile: string): string {
  const edited = splitExtension(editedFile);
  const original = splitExtension(originalFile);
  if (edited.stem.toLowerCase() !== original.stem.toLowerCase()) return editedFile;
  return `${edited.stem}-edited${edited.ext}`;
}

/** Whether the asset passes the type/library/date filters (recent-N and albums are applied by the planner). */
export function passesFilters(asset: ICloudAsset, options: SyncOptions): boolean {
  if (asset.mediaType === 'photo' && !options.photos) return false;
  if (asset.mediaType === 'video' && !options.videos) return false;
  if (asset.library === 'shared' && !options.includeShared) return false;
  if (asset.isHidden && !options.includeHidden) return false;
  if (options.capturedAfter !== null && asset.assetDate < options.capturedAfter) return false;
  return true;
}
