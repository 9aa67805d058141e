/**
 * Which clock the date folders use. 'local' is what icloudpd does (it converts the UTC capture date
 * with `astimezone(get_localzone())`, the machine's zone), so adopting its folders matches; 'asset'
 * uses the offset the camera recorded, when there is one.
 */
export type FolderDateZone = 'local' | 'asset';

export interface DateParts {
  yyyy: string;
  mm: string;
  dd: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function folderDateParts(
  asset: { assetDate: number; timeZoneOffsetSeconds: number | null },
  zone: FolderDateZone,
): DateParts {
  if (zone === 'asset' && asset.timeZoneOffsetSeconds !== null) {
    const shifted = new Date(asset.assetDate + asset.timeZoneOffsetSeconds * 1000);
    return { yyyy: pad(shifted.getUTCFullYear(), 4), mm: pad(shifted.getUTCMonth() + 1), dd: pad(shifted.getUTCDate()) };
  }
  const local = new Date(asset.assetDate);
  return { yyyy: pad(local.getFullYear(), 4), mm: pad(local.getMonth() + 1), dd: pad(local.getDate()) };
}
