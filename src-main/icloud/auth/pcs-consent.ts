import { realSleep, type Sleep } from '../backoff.js';
import { ICloudError } from '../errors.js';
import type { Logger } from '../logger.js';
import { requestPcsSchema, webAccessStateSchema } from '../responses/setup-responses.js';
import type { SetupApi } from './setup-api.js';

export interface PcsOptions {
  /** How long to wait for the user to approve on a device before giving up. */
  approvalTimeoutMs?: number;
  pollMs?: number;
  sleep?: Sleep;
}

/**
 * Advanced Data Protection with web access on (spec 3.7): the Photos database needs PCS cookies,
 * which Apple hands out once a trusted device approves. Ask for consent, poll a bounded time,
 * then fetch the cookies; give up with ADP_APPROVAL_NEEDED rather than wait forever.
 */
export async function ensurePcsAccess(setup: SetupApi, logger: Logger, options: PcsOptions = {}): Promise<void> {
  const timeoutMs = options.approvalTimeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 5_000;
  const sleep = options.sleep ?? realSleep;
  const deadline = Date.now() + timeoutMs;
  const consented = async (): Promise<boolean> => {
    const answer = await setup.requestWebAccessState();
    const state = webAccessStateSchema.safeParse(answer.json);
    if (answer.status !== 200 || !state.success) throw approvalNeeded(`requestWebAccessState answered ${answer.status}`);
    return state.data.isDeviceConsentedForPCS === true;
  };

  if (!(await consented())) {
    const asked = await setup.enableDeviceConsentForPcs();
    if (asked.status !== 200) throw approvalNeeded(`enableDeviceConsentForPCS answered ${asked.status}`);
    logger.info({}, 'advanced data protection: waiting for approval on a trusted device');
    while (!(await consented())) {
      if (Date.now() + pollMs > deadline) throw approvalNeeded('no approval on a device in time');
      await sleep(pollMs);
    }
  }
  for (let first = true; ; first = false) {
    const answer = await setup.requestPcs(first);
    const parsed = requestPcsSchema.safeParse(answer.json);
    if (answer.status === 200 && parsed.success && parsed.data.status === 'success') return;
    if (Date.now() + pollMs > deadline) throw approvalNeeded('PCS cookies not available in time');
    await sleep(pollMs);
  }
}

function approvalNeeded(detail: string): ICloudError {
  return new ICloudError('ADP_APPROVAL_NEEDED', { detail });
}
