import type { ViolationEntry } from './request-log.js';

/**
 * Every simulator started in this test file reports here, so one check after each file can
 * assert that nothing in the whole suite tried to change iCloud (tests/support/no-icloud-changes.ts).
 */
type ViolationSource = () => ViolationEntry[];

const sources = new Set<ViolationSource>();

export function registerViolationSource(source: ViolationSource): void {
  sources.add(source);
}

export function unacknowledgedViolations(): ViolationEntry[] {
  return [...sources].flatMap((source) => source());
}
