import type { SimCore } from '../core.js';
import type { Conversation } from './auth-store.js';
import type { TrustedPhone } from '../sim-account.js';

export function securityCodeState(conversation: Conversation): Record<string, unknown> {
  return {
    length: 6,
    tooManyCodesSent: false,
    tooManyCodesValidated: conversation.codeLocked,
    securityCodeLocked: conversation.codeLocked,
    securityCodeCooldown: false,
  };
}

/** The phoneNumberVerification object of spec 2.1/2.2, optionally centred on one chosen phone. */
export function phoneNumberVerification(core: SimCore, conversation: Conversation, chosen?: TrustedPhone): Record<string, unknown> {
  const phones = core.account.phones.map((p) => ({ ...p, nonFTEU: false }));
  return {
    trustedPhoneNumbers: phones,
    trustedPhoneNumber: chosen ?? phones[0],
    securityCode: securityCodeState(conversation),
    authenticationType: 'hsa2',
    hsa2Account: true,
    restrictedAccount: false,
    managedAccount: false,
  };
}

/** GET {auth} with Accept: application/json. Where the phones appear follows authOptionsPhoneLayout. */
export function authOptionsJson(core: SimCore, conversation: Conversation): Record<string, unknown> {
  const layout = core.options.authOptionsPhoneLayout;
  const nested = phoneNumberVerification(core, conversation);
  const options: Record<string, unknown> = {
    securityCode: securityCodeState(conversation),
    mode: 'sms',
    authenticationType: 'hsa2',
    hsa2Account: true,
    restrictedAccount: false,
    managedAccount: false,
    trustedDeviceCount: core.account.trustedDeviceCount,
    hasTrustedDevices: core.account.trustedDeviceCount > 0,
  };
  if (layout !== 'nested') {
    options.trustedPhoneNumbers = nested.trustedPhoneNumbers;
    options.trustedPhoneNumber = nested.trustedPhoneNumber;
  }
  if (layout !== 'flat') options.phoneNumberVerification = nested;
  return options;
}

/** GET {auth} with Accept: text/html: the boot_args page (the 'nested' layout keeps only the 2026 bridge copy). */
export function authOptionsHtml(core: SimCore, conversation: Conversation): string {
  const verification = phoneNumberVerification(core, conversation);
  const twoSV: Record<string, unknown> = {
    supportedPushModes: ['voice', 'sms'],
    authFactors: ['robocall', 'sms', 'generatedcode'],
    sourceAppId: 1159,
    bridgeInitiateData: {
      apnsTopic: 'com.apple.idmsauthwidget',
      apnsEnvironment: 'prod',
      webSocketUrl: 'websocket.push.apple.test',
      phoneNumberVerification: verification,
    },
  };
  if (core.options.authOptionsPhoneLayout !== 'nested') twoSV.phoneNumberVerification = verification;
  const bootArgs = {
    direct: {
      authType: 'hsa2',
      authUserType: 'hsa2',
      hasTrustedDevices: core.account.trustedDeviceCount > 0,
      authInitialRoute: core.account.trustedDeviceCount > 0 ? 'auth/verify/trusteddevice' : 'auth/verify/phone',
      twoSV,
    },
    additional: { canRoute2sv: true },
  };
  // `<` is escaped so the JSON can never close the script element early.
  const json = JSON.stringify(bootArgs).replace(/</g, '\\u003c');
  return (
    '<!DOCTYPE html><html><head><title>Apple Account</title>' +
    `<script type="application/json" class="boot_args">${json}</script></head>` +
    '<body><div id="root"></div></body></html>'
  );
}
