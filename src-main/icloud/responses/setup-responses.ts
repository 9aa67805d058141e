import { z } from 'zod';

/** accountLogin / validate answer (spec 3.1, 3.2): only the fields the client acts on. */
export const accountLoginSchema = z.object({
  dsInfo: z
    .object({
      dsid: z.union([z.string(), z.number()]).transform(String),
      hsaVersion: z.number().optional(),
      isWebAccessAllowed: z.boolean().optional(),
      iCDPEnabled: z.boolean().optional(),
      hasICloudQualifyingDevice: z.boolean().optional(),
    })
    .optional(),
  webservices: z
    .object({
      ckdatabasews: z
        .object({ url: z.string().url(), pcsRequired: z.boolean().optional(), status: z.string().optional() })
        .optional(),
    })
    .optional(),
  hsaChallengeRequired: z.boolean().optional(),
  hsaTrustedBrowser: z.boolean().optional(),
  iCDPEnabled: z.boolean().optional(),
  termsUpdateNeeded: z.boolean().optional(),
  isRepairNeeded: z.boolean().optional(),
  domainToUse: z.string().optional(),
  hasError: z.boolean().optional(),
});

/** PCS consent flow answers (spec 3.7). */
export const webAccessStateSchema = z.object({
  isDeviceConsentedForPCS: z.boolean().optional(),
  isICDRSDisabled: z.boolean().optional(),
});

export const requestPcsSchema = z.object({
  status: z.string(),
  message: z.string().optional(),
  isWebAccessAllowed: z.boolean().optional(),
});

/** A CloudKit error body: `{ serverErrorCode, reason }`, or the web session's `{ reason, error: 1 }`. */
export const cloudKitErrorSchema = z.object({
  serverErrorCode: z.string().optional(),
  reason: z.string().optional(),
  error: z.union([z.number(), z.string()]).optional(),
});
