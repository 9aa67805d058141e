import type { CloudKitRecord } from '../../src-main/icloud/photos/responses/record-schema.js';

/** CloudKit records shaped like spec 4.13 (invented values), for the Photos unit tests. */

const ZONE = { zoneName: 'PrimarySync', ownerRecordName: '_0123abcd', zoneType: 'REGULAR_CUSTOM_ZONE' };

export function resource(checksum: string, size: number) {
  return {
    value: {
      fileChecksum: checksum,
      size,
      wrappingKey: 'q1w2e3r4t5y6u7i8o9p0aA==',
      referenceChecksum: 'AZyXwVuTsRqPoNmLkJiHgFeDcBa9',
      downloadURL: `https://cvws.icloud-content.com/B/${checksum}/\${f}?e=1767225600&s=sig`,
    },
    type: 'ASSETID',
  };
}

export function encName(name: string) {
  return { value: Buffer.from(name, 'utf8').toString('base64'), type: 'ENCRYPTED_BYTES' };
}

export function master(recordName: string, fields: Record<string, unknown>): CloudKitRecord {
  return { recordName, recordType: 'CPLMaster', fields: fields as CloudKitRecord['fields'], recordChangeTag: 'm1', deleted: false, zoneID: ZONE };
}

export function asset(recordName: string, masterName: string, fields: Record<string, unknown> = {}): CloudKitRecord {
  return {
    recordName,
    recordType: 'CPLAsset',
    fields: {
      masterRef: { value: { recordName: masterName, action: 'DELETE_SELF', zoneID: ZONE }, type: 'REFERENCE' },
      assetDate: { value: 1700000000000, type: 'TIMESTAMP' },
      addedDate: { value: 1700000100000, type: 'TIMESTAMP' },
      timeZoneOffset: { value: 3600, type: 'INT64' },
      isFavorite: { value: 0, type: 'INT64' },
      isHidden: { value: 0, type: 'INT64' },
      ...fields,
    } as CloudKitRecord['fields'],
    recordChangeTag: 'a1',
    deleted: false,
    zoneID: ZONE,
  };
}

/** A plain JPEG photo master named `name`. */
export function jpegMaster(recordName: string, name: string, extra: Record<string, unknown> = {}): CloudKitRecord {
  return master(recordName, {
    filenameEnc: encName(name),
    itemType: { value: 'public.jpeg', type: 'STRING' },
    resOriginalRes: resource(recordName, 1000),
    resOriginalFileType: { value: 'public.jpeg', type: 'STRING' },
    ...extra,
  });
}

export const PRIMARY = { zoneName: 'PrimarySync', library: 'personal' as const };
