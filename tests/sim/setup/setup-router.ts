import type { ServerResponse } from 'node:http';
import type { RouteHandler, SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { sendJson } from '../http-io.js';
import { handleAccountLogin, handleLogout, handleValidate } from './setup-routes.js';
import { PcsFlow } from './pcs-routes.js';

export const SETUP_BASE_PATH = '/setup/ws/1';

/** The setup role (setup.icloud.test). Every route but accountLogin rides on the web session. */
export function createSetupHandler(core: SimCore): RouteHandler {
  const pcs = new PcsFlow();
  const routes: Record<string, (req: SimRequest, res: ServerResponse, core: SimCore) => void> = {
    'POST /accountLogin': handleAccountLogin,
    'POST /validate': handleValidate,
    'POST /logout': handleLogout,
    'POST /requestWebAccessState': (req, res) => pcs.requestWebAccessState(req, res, core),
    'POST /enableDeviceConsentForPCS': (req, res) => pcs.enableDeviceConsent(req, res, core),
    'POST /requestPCS': (req, res) => pcs.requestPcs(req, res, core),
  };
  return (req, res) => {
    const route = req.path.startsWith(SETUP_BASE_PATH) ? routes[`${req.method} ${req.path.slice(SETUP_BASE_PATH.length)}`] : undefined;
    if (route) route(req, res, core);
    else sendJson(res, 404, { error: 'not found' });
  };
}

/** accountLogin opens a session rather than using one, so it is not counted against the limit. */
export function countsAgainstSession(req: SimRequest): boolean {
  return req.role === 'ckdatabase' || (req.role === 'setup' && !req.path.endsWith('/accountLogin'));
}
