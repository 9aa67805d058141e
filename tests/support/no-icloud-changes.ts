import { afterAll, expect } from 'vitest';
import { unacknowledgedViolations } from '../sim/violation-registry.js';

// The app must never change anything in iCloud nor leak its cookies to the download host: after every
// test file, no simulator it started may have seen such a request, except ones a test provoked on
// purpose and acknowledged.
afterAll(() => {
  expect(unacknowledgedViolations(), 'a request tried to change iCloud or leaked cookies').toEqual([]);
});
