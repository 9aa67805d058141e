import { editIdOf, fileOwnerOf, type AssetResource, type ICloudAsset, type ResourceVersion } from '../../src-main/icloud/photos/asset.js';
import type { TrackedFile } from '../../src-main/tracker/tracker-types.js';

/** A hand-made asset for planner tests; 2024-03-15 12:00 UTC unless told otherwise. */
export function makeAsset(id: string, over: Partial<ICloudAsset> = {}, versions: ResourceVersion[] = ['original']): ICloudAsset {
  const filename = over.filename ?? `IMG_${id}.JPG`;
  const resources: AssetResource[] = versions.map((version) => resource(version, filename, id));
  const edited = resources.find((r) => r.version === 'edited');
  return {
    id,
    editId: edited ? editIdOf(id, edited.fileChecksum) : null,
    assetRecordName: `rec-${id}`,
    masterRecordName: id,
    zoneName: 'PrimarySync',
    library: 'personal',
    filename,
    mediaType: 'photo',
    assetDate: Date.UTC(2024, 2, 15, 12),
    timeZoneOffsetSeconds: 0,
    addedDate: Date.UTC(2024, 2, 16),
    isFavorite: false,
    isHidden: false,
    changeTag: 't1',
    adjustmentType: versions.includes('edited') ? 'com.apple.photo' : null,
    resources,
    ...over,
  };
}

function resource(version: ResourceVersion, filename: string, id: string): AssetResource {
  const stem = filename.replace(/\.[^.]*$/, '');
  const names: Record<ResourceVersion, string> = {
    original: filename,
    alternative: `${stem}.DNG`,
    'live-video': `${stem}.MOV`,
    edited: `${stem}.JPG`,
  };
  return {
    version,
    downloadUrl: `http://cvws.icloud-content.test/B/${id}/${version}`,
    size: 1000 + version.length,
    fileChecksum: `ck-${id}-${version}`,
    uti: 'public.jpeg',
    filename: names[version],
  };
}

export function tracked(asset: ICloudAsset, relPath: string, over: Partial<TrackedFile> = {}): TrackedFile {
  const res = asset.resources.find((r) => r.version === (over.version ?? 'original'));
  const version = over.version ?? 'original';
  return {
    assetId: fileOwnerOf(asset, version),
    assetRecord: version === 'edited' ? asset.assetRecordName : null,
    version,
    relPath,
    size: res?.size ?? 1,
    sha256: '0'.repeat(64),
    mtimeMs: asset.assetDate,
    fileChecksum: res?.fileChecksum ?? 'x',
    state: 'downloaded',
    recordedAt: 1,
    noticedAt: null,
    ...over,
  };
}
