/**
 * The one name every file of an Apple ID carries (session, cookies, tracker, run lock), and the one
 * way to tell whether two typed Apple IDs are the same account.
 *
 * Apple IDs are case-insensitive, while dots and other punctuation are significant: `jane.doe@x` and
 * `janedoe@x` are two accounts, `Jane.Doe@X` and `jane.doe@x` one. The name is a readable part
 * (punctuation shown as `-`, so it is safe on every file system) plus a hash of the whole
 * normalised ID, which keeps the punctuation: two accounts never share a file.
 */
import { createHash } from 'node:crypto';

/** How an Apple ID is compared: surrounding spaces dropped, case folded. */
export function normaliseAppleId(appleId: string): string {
  return appleId.trim().toLowerCase();
}

export function sameAppleId(a: string, b: string): boolean {
  return normaliseAppleId(a) === normaliseAppleId(b);
}

/** File-name stem for an Apple ID, e.g. `jane-doe-example-com-1a2b3c4d`. */
export function accountFileStem(appleId: string): string {
  const normalised = normaliseAppleId(appleId);
  if (!normalised) throw new Error('an Apple ID is needed to name its files');
  const readable = normalised.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'account';
  const hash = createHash('sha256').update(normalised).digest('hex').slice(0, 8);
  return `${readable}-${hash}`;
}
