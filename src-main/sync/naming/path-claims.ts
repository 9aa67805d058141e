import { createHash } from 'node:crypto';
import { pathKey } from '../../tracker/tracker.js';
import { withSuffix } from './sanitize.js';

/** Owner of paths held by files the tracker does not know (found on disk): nobody may take them. */
export const FOREIGN_OWNER = '\u0000disk';

/** Where the claims are kept: a Map, or a table in the run's stage file (see asset-stage.ts). */
export interface ClaimStore {
  get(pathKey: string): string | undefined;
  set(pathKey: string, owner: string): unknown;
}

/**
 * Who holds which path, compared the way Windows and macOS compare names (case-blind, NFC). A
 * claimant whose plain path is held gets `_<hash of its asset id>` before the extension: the same on
 * every run, whatever order the library was listed in.
 */
export class PathClaims {
  constructor(private readonly owners: ClaimStore = new Map<string, string>()) {}

  hold(relPath: string, owner: string): void {
    this.owners.set(pathKey(relPath), owner);
  }

  ownerOf(relPath: string): string | undefined {
    return this.owners.get(pathKey(relPath));
  }

  /** Takes the plain path if free (or already ours), else the first free suffixed variant. */
  claim(plainRelPath: string, owner: string, assetId: string): string {
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? plainRelPath : suffixedRelPath(plainRelPath, assetId, attempt);
      const holder = this.ownerOf(candidate);
      if (holder === undefined || holder === owner) {
        this.hold(candidate, owner);
        return candidate;
      }
    }
  }
}

/** The `attempt`-th suffixed variant of a plain path for this asset (1: the usual `_<7 hex>`). */
export function suffixedRelPath(plainRelPath: string, assetId: string, attempt = 1): string {
  const slash = plainRelPath.lastIndexOf('/');
  const digest = createHash('sha256').update(assetId).digest('hex');
  return plainRelPath.slice(0, slash + 1) + withSuffix(plainRelPath.slice(slash + 1), suffixFor(digest, attempt));
}

function suffixFor(digest: string, attempt: number): string {
  // 7 hex digits first (like icloudpd's id7), longer only if even that is taken.
  const length = Math.min(6 + attempt, digest.length);
  return attempt + 6 <= digest.length ? `_${digest.slice(0, length)}` : `_${digest.slice(0, 12)}-${attempt}`;
}
