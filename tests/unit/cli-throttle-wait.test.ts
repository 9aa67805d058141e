import { describe, expect, it } from 'vitest';
import { throttleWaitMs } from '../../src-main/app/scheduler.js';
import { THROTTLE_DEFAULT_WAIT_MS } from '../../src-main/icloud/backoff.js';

describe('daemon throttle wait', () => {
  const now = 1_000_000;
  it('waits until Retry-After when Apple asks for longer than the default', () => {
    expect(throttleWaitMs('THROTTLED', new Date(now + 2 * THROTTLE_DEFAULT_WAIT_MS), now)).toBe(2 * THROTTLE_DEFAULT_WAIT_MS);
  });
  it('never less than the default, with a short Retry-After or none', () => {
    expect(throttleWaitMs('THROTTLED', new Date(now + 5_000), now)).toBe(THROTTLE_DEFAULT_WAIT_MS);
    expect(throttleWaitMs('THROTTLED', null, now)).toBe(THROTTLE_DEFAULT_WAIT_MS);
  });
  it('no extra wait for a run that was not throttled', () => {
    expect(throttleWaitMs(null, null, now)).toBe(0);
    expect(throttleWaitMs('NETWORK', null, now)).toBe(0);
  });
});
