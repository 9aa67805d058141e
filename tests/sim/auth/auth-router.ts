import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { sendJson } from '../http-io.js';
import { sendRateLimited } from './apple-errors.js';
import { handleRepairComplete } from './repair-routes.js';
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
  'POST /repair/complete': handleRepairComplete,
};

/**
 * The `statusInRscd` condition: Apple sometimes answers 200 and puts the real status in
 * X-Apple-I-Rscd (spec 1.3, 6), so every error answer of this request is rewritten that way.
 */
function moveErrorStatusToRscd(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  res.writeHead = ((status: number, headers?: OutgoingHttpHeaders) => {
    if (status < 400) return writeHead(status, headers);
    res.setHeader('X-Apple-I-Rscd', String(status));
    return writeHead(200, headers);
  }) as typeof res.writeHead;
}

/** The idmsa role (idmsa.apple.test). */
export function handleAuthRequest(req: SimRequest, res: ServerResponse, core: SimCore): void {
  const { statusInRscd, rateLimited } = core.conditions();
  if (statusInRscd) moveErrorStatusToRscd(res);
  if (rateLimited) {
    sendRateLimited(res, rateLimited.retryAfterSeconds);
    return;
  }
  const route = req.path.startsWith(AUTH_BASE_PATH)
    ? ROUTES[`${req.method} ${req.path.slice(AUTH_BASE_PATH.length)}`]
    : undefined;
  if (route) route(req, res, core);
  else sendJson(res, 404, { error: 'not found' });
}
