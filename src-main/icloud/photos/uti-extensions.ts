/**
 * Uniform type identifiers Apple puts in itemType / res<V>FileType, mapped to the file extension
 * a downloaded file gets (upper case, as iCloud and icloudpd name files).
 */
const EXTENSION_BY_UTI: Readonly<Record<string, string>> = {
  'public.jpeg': 'JPG',
  'public.heic': 'HEIC',
  'public.heif': 'HEIF',
  'public.png': 'PNG',
  'public.tiff': 'TIFF',
  'com.compuserve.gif': 'GIF',
  'com.microsoft.bmp': 'BMP',
  'org.webmproject.webp': 'WEBP',
  'public.avif': 'AVIF',
  'com.apple.quicktime-movie': 'MOV',
  'public.mpeg-4': 'MP4',
  'com.apple.m4v-video': 'M4V',
  'public.3gpp': '3GP',
  'public.avi': 'AVI',
  'com.adobe.raw-image': 'DNG',
  'com.canon.cr2-raw-image': 'CR2',
  'com.canon.cr3-raw-image': 'CR3',
  'com.canon.crw-raw-image': 'CRW',
  'com.sony.arw-raw-image': 'ARW',
  'com.fuji.raw-image': 'RAF',
  'com.panasonic.rw2-raw-image': 'RW2',
  'com.nikon.raw-image': 'NEF',
  'com.nikon.nrw-raw-image': 'NRW',
  'com.pentax.raw-image': 'PEF',
  'com.olympus.raw-image': 'ORF',
  'com.olympus.or-raw-image': 'ORF',
  'com.apple.photos.apple-adjustment-envelope': 'AAE',
};

const VIDEO_UTIS = new Set([
  'com.apple.quicktime-movie',
  'public.mpeg-4',
  'com.apple.m4v-video',
  'public.3gpp',
  'public.avi',
  'public.movie',
]);

/** The extension for a UTI, or undefined for one we do not know. */
export function extensionForUti(uti: string | undefined): string | undefined {
  return uti === undefined ? undefined : EXTENSION_BY_UTI[uti];
}

export function isVideoUti(uti: string | undefined): boolean {
  return uti !== undefined && VIDEO_UTIS.has(uti);
}

/** Whether a file extension (any case) is one a video gets from extensionForUti. */
export function isVideoExtension(extension: string): boolean {
  const upper = extension.toUpperCase();
  return [...VIDEO_UTIS].some((uti) => EXTENSION_BY_UTI[uti] === upper);
}

/** HEIC/HEIF photos get their Live Photo video named IMG_0001_HEVC.MOV (icloudpd's default). */
export function isHeifFamilyUti(uti: string | undefined): boolean {
  return uti === 'public.heic' || uti === 'public.heif';
}
