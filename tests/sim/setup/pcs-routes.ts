import type { ServerResponse } from 'node:http';
import type { SimRequest } from '../types.js';
import type { SimCore } from '../core.js';
import { appendSetCookie, sendJson } from '../http-io.js';
import { pcsCookies } from './session-cookies.js';
import { requireWebSession } from './setup-routes.js';

/**
 * The ADP consent flow of spec 3.7, kept minimal: consent is "approved on a device" as soon as it
 * is asked for, and the first requestPCS after that answers "not available yet" once.
 */
export class PcsFlow {
  private consented = false;
  private cookiesReady = false;

  requestWebAccessState(req: SimRequest, res: ServerResponse, core: SimCore): void {
    if (!requireWebSession(req, res, core)) return;
    const conditions = core.conditions();
    sendJson(res, 200, {
      isDeviceConsentedForPCS: this.consented,
      isICDRSDisabled: conditions.adp,
      isWebAccessAllowed: !conditions.webAccessDisabled,
      deviceConsentForPCSExpiry: 0,
    });
  }

  enableDeviceConsent(req: SimRequest, res: ServerResponse, core: SimCore): void {
    if (!requireWebSession(req, res, core)) return;
    this.consented = true;
    sendJson(res, 200, { isDeviceConsentNotificationSent: true });
  }

  requestPcs(req: SimRequest, res: ServerResponse, core: SimCore): void {
    const session = requireWebSession(req, res, core);
    if (!session) return;
    const webAccess = !core.conditions().webAccessDisabled;
    if (!this.consented) {
      sendJson(res, 200, { status: 'failure', message: 'Requested the device to upload cookies.', isWebAccessAllowed: webAccess });
      return;
    }
    if (!this.cookiesReady) {
      this.cookiesReady = true;
      sendJson(res, 200, { status: 'failure', message: 'Cookies not available yet on server.', isWebAccessAllowed: webAccess });
      return;
    }
    session.pcsGranted = true;
    appendSetCookie(res, pcsCookies(core.now()));
    sendJson(res, 200, { status: 'success', message: 'Cookies attached.', isWebAccessAllowed: webAccess });
  }
}
