import type { SimCore } from '../core.js';

export interface TrustState {
  hsaTrustedBrowser: boolean;
  hsaChallengeRequired: boolean;
  extendedLogin: boolean;
  /** The session token came from a 412 answer that was never followed by repair/complete. */
  repairNeeded?: boolean;
}

/** The accountLogin / validate answer of spec 3.1, with webservices pointing back at the simulator. */
export function accountDocument(core: SimCore, state: TrustState): Record<string, unknown> {
  const { account } = core;
  const conditions = core.conditions();
  const service = (url: string): Record<string, unknown> => ({ url, status: 'active' });
  return {
    dsInfo: {
      dsid: account.dsid,
      hsaVersion: conditions.legacyTwoStep ? 1 : 2,
      hsaEnabled: true,
      appleId: account.appleId,
      primaryEmail: account.appleId,
      fullName: `${account.firstName} ${account.lastName}`,
      firstName: account.firstName,
      lastName: account.lastName,
      countryCode: account.country,
      languageCode: 'en-us',
      locale: 'en-us_US',
      isWebAccessAllowed: !conditions.webAccessDisabled,
      iCDPEnabled: conditions.adp,
      hasICloudQualifyingDevice: true,
      locked: false,
      statusCode: 2,
      pcsDeleted: false,
    },
    webservices: {
      ckdatabasews: { ...service(core.urls.ckdatabase), pcsRequired: conditions.adp },
      account: { ...service(core.urls.setup), iCloudEnv: { shortId: 'p', vipSuffix: 'prod' } },
    },
    hsaChallengeRequired: state.hsaChallengeRequired,
    hsaTrustedBrowser: state.hsaTrustedBrowser,
    isExtendedLogin: state.extendedLogin,
    pcsEnabled: true,
    iCDPEnabled: conditions.adp,
    hasMinimumDeviceForPhotosWeb: true,
    termsUpdateNeeded: conditions.termsUpdateNeeded,
    isRepairNeeded: state.repairNeeded === true,
    version: 2,
    requestInfo: { country: 'US', timeZone: 'GMT-5', region: 'NY' },
    apps: { photos: {} },
    appsOrder: ['photos'],
    configBag: { urls: { accountLogin: `${core.urls.setup}/accountLogin` }, accountCreateEnabled: false },
  };
}
