import type { ResourceVersion } from './asset.js';
import { extensionForUti, isHeifFamilyUti } from './uti-extensions.js';

/**
 * File names for an asset's resources, all derived from the original's name so they sort and
 * group together on disk:
 *   original     IMG_0001.HEIC        (Apple's name, or a fallback when Apple has none)
 *   alternative  IMG_0001.CR2         (the other half of a RAW+JPEG pair)
 *   live-video   IMG_0001_HEVC.MOV    for HEIC/HEIF photos, IMG_0001.MOV otherwise (icloudpd's names)
 *   edited       IMG_0001-edited.JPG  (the rendered edit; extension from its own type)
 */

function splitName(filename: string): { base: string; extension: string | undefined } {
  const dot = filename.lastIndexOf('.');
  if (dot <= 0 || dot === filename.length - 1) return { base: filename, extension: undefined };
  return { base: filename.slice(0, dot), extension: filename.slice(dot + 1) };
}

/**
 * Name used when Apple sends no filenameEnc (spec 4.7, as icloudpd): the first 12 letters and
 * digits of the master record name plus the extension of the item type.
 */
export function fallbackFilename(masterRecordName: string, uti: string | undefined): string {
  const stem = masterRecordName.replace(/[^0-9A-Za-z]/g, '').slice(0, 12) || 'photo';
  const extension = extensionForUti(uti);
  return extension ? `${stem}.${extension}` : stem;
}

/** Extension for a derived resource: its own type first, else the original's extension. */
function extensionFor(uti: string, fallback: string | undefined): string | undefined {
  return extensionForUti(uti) ?? fallback;
}

function withExtension(base: string, extension: string | undefined): string {
  return extension ? `${base}.${extension}` : base;
}

export function resourceFilename(
  version: ResourceVersion,
  originalFilename: string,
  originalUti: string | undefined,
  resourceUti: string,
): string {
  const { base, extension } = splitName(originalFilename);
  switch (version) {
    case 'original':
      return originalFilename;
    case 'alternative': {
      const name = withExtension(base, extensionFor(resourceUti, extension));
      // A pair of two same-typed files would otherwise collide with the original.
      return name.toLowerCase() === originalFilename.toLowerCase() ? withExtension(`${base}-alt`, extension) : name;
    }
    case 'live-video': {
      const heif = isHeifFamilyUti(originalUti) || /^hei[cf]$/i.test(extension ?? '');
      const suffix = heif ? '_HEVC' : '';
      return withExtension(`${base}${suffix}`, extensionForUti(resourceUti) ?? 'MOV');
    }
    case 'edited':
      return withExtension(`${base}-edited`, extensionFor(resourceUti, extension));
  }
}
