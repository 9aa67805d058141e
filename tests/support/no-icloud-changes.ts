import { afterAll, expect } from 'vitest';
import { unacknowledgedViolations } from '../sim/violation-registry.js';

// The app must never change anything in iCloud: after every test file, no simulator it started may
// have seen a mutating request, except ones a test provoked on purpose and acknowledged.
afterAll(() => {
  expect(unacknowledgedViolations(), 'a request tried to change iCloud').toEqual([]);
});
