import { createHash } from 'node:crypto';
import type { SimAccountOptions, MfaMode } from './options.js';
import { createVerifierRecord, type SrpVerifierRecord } from './srp-server.js';

export interface TrustedPhone {
  id: number;
  numberWithDialCode: string;
  obfuscatedNumber: string;
  lastTwoDigits: string;
  pushMode: 'sms';
}

/** The one fake account the simulator serves; everything derived from the seed is stable across runs. */
export interface SimAccount {
  appleId: string;
  password: string;
  dsid: string;
  country: string;
  firstName: string;
  lastName: string;
  srp: SrpVerifierRecord;
  /** The 2FA code the simulator accepts (leading zeros possible, as at Apple). */
  code: string;
  mfa: MfaMode;
  phones: TrustedPhone[];
  trustedDeviceCount: number;
}

function seeded(seed: number, label: string): Buffer {
  return createHash('sha256').update(`icloud-sim:${seed}:${label}`).digest();
}

export function createSimAccount(seed: number, options: SimAccountOptions, mfa: MfaMode): SimAccount {
  const salt = options.saltHex ? Buffer.from(options.saltHex, 'hex') : seeded(seed, 'salt').subarray(0, 16);
  const code = String(seeded(seed, 'code').readUInt32BE(0) % 1_000_000).padStart(6, '0');
  const dsid = `1${String(seeded(seed, 'dsid').readUInt32BE(0)).padStart(10, '0')}`;
  return {
    appleId: options.appleId,
    password: options.password,
    dsid,
    country: 'USA',
    firstName: 'Jane',
    lastName: 'Appleseed',
    srp: createVerifierRecord(options.password, salt, options.iterations, options.protocol, options.srpConvention ?? 'raw'),
    code,
    mfa,
    phones: [
      { id: 1, numberWithDialCode: '+1 (•••) •••-••42', obfuscatedNumber: '(•••) •••-••42', lastTwoDigits: '42', pushMode: 'sms' },
      { id: 2, numberWithDialCode: '+44 ••••• ••••17', obfuscatedNumber: '••••• ••••17', lastTwoDigits: '17', pushMode: 'sms' },
    ],
    trustedDeviceCount: mfa === 'device' ? 2 : 0,
  };
}
