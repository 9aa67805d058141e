import { describe, expect, it } from 'vitest';
import { parseAuthOptions, serviceErrorCodes, securityCodeOf } from '../../src-main/icloud/responses/auth-responses.js';

const phone = { id: 3, numberWithDialCode: '+1 (•••) •••-••42', obfuscatedNumber: '(•••) •••-••42', lastTwoDigits: '42', pushMode: 'sms' };
const code = { length: 6, tooManyCodesSent: false, tooManyCodesValidated: false, securityCodeLocked: false };

describe('auth options parsing (spec 2.1)', () => {
  it('reads the flat JSON form', () => {
    const options = parseAuthOptions({ trustedPhoneNumbers: [phone], securityCode: code, hasTrustedDevices: true }, '');
    expect(options).toEqual({
      trustedPhones: [{ id: 3, number: '+1 (•••) •••-••42', pushMode: 'sms' }],
      hasTrustedDevices: true,
      securityCode: { length: 6, locked: false, tooManyCodesSent: false },
    });
  });

  it('reads phones nested under phoneNumberVerification', () => {
    const options = parseAuthOptions({ phoneNumberVerification: { trustedPhoneNumbers: [phone], securityCode: code }, trustedDeviceCount: 0 }, '');
    expect(options?.trustedPhones.map((p) => p.id)).toEqual([3]);
    expect(options?.hasTrustedDevices).toBe(false);
  });

  it('reads the HTML boot_args form, including the 2026 bridge-only phone list', () => {
    const boot = {
      direct: { hasTrustedDevices: true, twoSV: { bridgeInitiateData: { phoneNumberVerification: { trustedPhoneNumbers: [phone], securityCode: { ...code, length: 8 } } } } },
    };
    const html = `<html><script type="application/json" class="boot_args">${JSON.stringify(boot)}</script></html>`;
    const options = parseAuthOptions(undefined, html);
    expect(options?.trustedPhones[0]?.number).toBe('+1 (•••) •••-••42');
    expect(options?.securityCode.length).toBe(8);
  });

  it('sees a locked code from either flag', () => {
    expect(securityCodeOf({ securityCode: { tooManyCodesValidated: true } })?.locked).toBe(true);
    expect(securityCodeOf({ securityCode: { securityCodeLocked: true } })?.locked).toBe(true);
    expect(securityCodeOf({})).toBeUndefined();
  });

  it('collects Apple error codes from both spellings', () => {
    expect(serviceErrorCodes({ serviceErrors: [{ code: '-20101' }] })).toEqual(['-20101']);
    expect(serviceErrorCodes({ service_errors: [{ code: -21669 }] })).toEqual(['-21669']);
    expect(serviceErrorCodes('<html>')).toEqual([]);
  });
});
