/** How numbers and times read in the views. */
import type { AppSnapshot } from '../src-shared/contract.js';

const BYTE_UNITS = [
  { unit: 'terabyte', size: 1e12 },
  { unit: 'gigabyte', size: 1e9 },
  { unit: 'megabyte', size: 1e6 },
  { unit: 'kilobyte', size: 1e3 },
] as const;

/** Sizes in the person's locale with decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  const { unit, size } = BYTE_UNITS.find((each) => bytes >= each.size) ?? { unit: 'byte', size: 1 };
  // "byte" has no plural in the short form ("0 byte"): below a kilobyte the long form reads right.
  if (unit === 'byte') return new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'long' }).format(bytes);
  return new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: bytes / size < 10 ? 1 : 0 }).format(bytes / size);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400 * 2) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** "in 3 h" or "5 min ago", with the local date and time for the title. */
export function formatWhen(iso: string, now: number = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (Math.abs(seconds) < 30) return 'just now';
  return seconds > 0 ? `in ${formatDuration(seconds)}` : `${formatDuration(-seconds)} ago`;
}

export function localTime(iso: string): string {
  return new Date(iso).toLocaleString();
}

/** "1 video", "3 videos": a count with its noun (English plural in s). */
export function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/** "Trusted until" as the account shows it: the estimate, or that it ended while a code is needed. */
export function trustEndText(snapshot: Pick<AppSnapshot, 'trustEndsAt' | 'signIn'>, withCountdown: boolean): string {
  if (snapshot.signIn.status === 'needs-code') return 'Ended: enter the verification code to trust this computer again';
  if (!snapshot.trustEndsAt) return '—';
  return withCountdown ? `${localTime(snapshot.trustEndsAt)} (${formatWhen(snapshot.trustEndsAt)})` : localTime(snapshot.trustEndsAt);
}
