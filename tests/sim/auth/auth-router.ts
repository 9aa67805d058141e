import type { ServerResponse } from 'node:http';
import type { SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { sendJson } from '../http-io.js';
import { handleSigninComplete, handleSigninInit } from './signin-routes.js';
import {
  handleAuthOptions,
  handleDeviceCode,
  handleDeviceDelivery,
  handlePhoneCode,
  handlePhoneDelivery,
  handleTrust,
} from './two-factor-routes.js';

export const AUTH_BASE_PATH = '/appleauth/auth';

type AuthRoute = (req: SimRequest, res: ServerResponse, core: SimCore) => void;

const ROUTES: Record<string, AuthRoute> = {
  'POST /signin/init': handleSigninInit,
  'POST /signin/complete': handleSigninComplete,
  'GET ': handleAuthOptions,
  'GET /': handleAuthOptions,
  'PUT /verify/trusteddevice/securitycode': handleDeviceDelivery,
  'PUT /verify/trusteddevice': handleDeviceDelivery,
  'GET /verify/trusteddevice': handleDeviceDelivery,
  'PUT /verify/phone': handlePhoneDelivery,
  'POST /verify/trusteddevice/securitycode': handleDeviceCode,
  'POST /verify/phone/securitycode': handlePhoneCode,
  'GET /2sv/trust': handleTrust,
};

/** The idmsa role (idmsa.apple.test). */
export function handleAuthRequest(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const route = req.path.startsWith(AUTH_BASE_PATH)
    ? ROUTES[`${req.method} ${req.path.slice(AUTH_BASE_PATH.length)}`]
    : undefined;
  if (route) route(req, res, core);
  else sendJson(res, 404, { error: 'not found' });
}
