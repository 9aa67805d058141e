import { z } from 'zod';
import { parseJsonOrUndefined } from '../json.js';

/** idmsa answers (spec 1.5, 1.6, 2.1-2.3), validated because Apple changes them without notice. */

export const signinInitSchema = z.object({
  iteration: z.number().int().positive(),
  salt: z.string().min(1),
  protocol: z.enum(['s2k', 's2k_fo']),
  b: z.string().min(1),
  c: z.string().min(1),
});

const serviceErrorSchema = z.object({ code: z.union([z.string(), z.number()]).optional() });
const serviceErrorsBodySchema = z.object({
  serviceErrors: z.array(serviceErrorSchema).optional(),
  service_errors: z.array(serviceErrorSchema).optional(),
});

/** Apple error codes in a body, whichever spelling Apple used this time. */
export function serviceErrorCodes(body: unknown): string[] {
  const parsed = serviceErrorsBodySchema.safeParse(body);
  if (!parsed.success) return [];
  const errors = [...(parsed.data.serviceErrors ?? []), ...(parsed.data.service_errors ?? [])];
  return errors.flatMap((error) => (error.code === undefined ? [] : [String(error.code)]));
}

export const twoFactorChallengeSchema = z.object({
  authType: z.string().optional(),
  fsaChallenge: z.unknown().optional(),
  keyNames: z.unknown().optional(),
});

const phoneSchema = z.object({
  id: z.number().int(),
  numberWithDialCode: z.string().optional(),
  obfuscatedNumber: z.string().optional(),
  lastTwoDigits: z.string().optional(),
  pushMode: z.string().optional(),
  nonFTEU: z.boolean().optional(),
});

const securityCodeSchema = z.object({
  length: z.number().int().positive().optional(),
  tooManyCodesSent: z.boolean().optional(),
  tooManyCodesValidated: z.boolean().optional(),
  securityCodeLocked: z.boolean().optional(),
  securityCodeCooldown: z.boolean().optional(),
  // No count of tries left: Apple's recorded wrong-code answer has none (the service counts them itself).
});

const phoneVerificationSchema = z.object({
  trustedPhoneNumbers: z.array(phoneSchema).optional(),
  securityCode: securityCodeSchema.optional(),
});

const authOptionsSchema = phoneVerificationSchema.extend({
  trustedDeviceCount: z.number().int().optional(),
  hasTrustedDevices: z.boolean().optional(),
  phoneNumberVerification: phoneVerificationSchema.optional(),
});

const bootArgsSchema = z.object({
  direct: z.object({
    hasTrustedDevices: z.boolean().optional(),
    twoSV: z.object({
      phoneNumberVerification: phoneVerificationSchema.optional(),
      bridgeInitiateData: z.object({ phoneNumberVerification: phoneVerificationSchema.optional() }).optional(),
    }),
  }),
});

export interface TrustedPhone {
  id: number;
  /** Already obfuscated by Apple, e.g. "+1 (•••) •••-••42". */
  number: string;
  pushMode: string;
  nonFTEU?: boolean;
}

export interface SecurityCodeState {
  length: number;
  locked: boolean;
  tooManyCodesSent: boolean;
}

export interface AuthOptions {
  trustedPhones: TrustedPhone[];
  hasTrustedDevices: boolean;
  securityCode: SecurityCodeState;
}

type PhoneVerification = z.infer<typeof phoneVerificationSchema>;

/** The auth options of `GET {auth}`, from the JSON form (flat or nested) or the HTML boot_args form. */
export function parseAuthOptions(json: unknown, text: string): AuthOptions | undefined {
  const flat = authOptionsSchema.safeParse(json ?? {});
  if (json !== undefined && flat.success) {
    const nested = flat.data.phoneNumberVerification;
    return toAuthOptions(
      [flat.data, nested],
      flat.data.hasTrustedDevices ?? (flat.data.trustedDeviceCount ?? 1) > 0,
    );
  }
  const boot = /<script[^>]*class="boot_args"[^>]*>([\s\S]*?)<\/script>/.exec(text)?.[1];
  if (!boot) return undefined;
  const parsed = bootArgsSchema.safeParse(parseJsonOrUndefined(boot));
  if (!parsed.success) return undefined;
  const twoSV = parsed.data.direct.twoSV;
  return toAuthOptions(
    [twoSV.phoneNumberVerification, twoSV.bridgeInitiateData?.phoneNumberVerification],
    parsed.data.direct.hasTrustedDevices ?? true,
  );
}

function toAuthOptions(sources: Array<PhoneVerification | undefined>, hasTrustedDevices: boolean): AuthOptions {
  const phones = sources.find((source) => source?.trustedPhoneNumbers?.length)?.trustedPhoneNumbers ?? [];
  const code = sources.find((source) => source?.securityCode)?.securityCode ?? {};
  return {
    trustedPhones: phones.map((phone) => ({
      id: phone.id,
      number: phone.numberWithDialCode ?? phone.obfuscatedNumber ?? `•••${phone.lastTwoDigits ?? ''}`,
      pushMode: phone.pushMode ?? 'sms',
      ...(phone.nonFTEU !== undefined ? { nonFTEU: phone.nonFTEU } : {}),
    })),
    hasTrustedDevices,
    securityCode: securityCodeState(code),
  };
}

/**
 * The auth options after a code delivery: its answer carries fresh securityCode flags (and maybe the
 * phones) but says nothing reliable about trusted devices, so that stays as first read.
 */
export function mergeAuthOptions(before: AuthOptions | undefined, update: AuthOptions | undefined): AuthOptions | undefined {
  if (!before || !update) return before ?? update;
  return {
    ...before,
    securityCode: update.securityCode,
    trustedPhones: update.trustedPhones.length ? update.trustedPhones : before.trustedPhones,
  };
}

export function securityCodeState(code: z.infer<typeof securityCodeSchema>): SecurityCodeState {
  return {
    length: code.length ?? 6,
    locked: Boolean(code.securityCodeLocked || code.tooManyCodesValidated),
    tooManyCodesSent: Boolean(code.tooManyCodesSent),
  };
}

/** The securityCode flags of any idmsa answer (delivery and verify answers carry them too). */
export function securityCodeOf(body: unknown): SecurityCodeState | undefined {
  const parsed = z.object({ securityCode: securityCodeSchema }).safeParse(body);
  return parsed.success ? securityCodeState(parsed.data.securityCode) : undefined;
}
