/**
 * Single-use link tokens for notifications: each notification carries its own token, never the web
 * server's start token. Only a SHA-256 hash and the expiry are kept (notify-links.json in the data
 * folder), so the tokens survive a restart and a copy of the file opens nothing.
 *
 * The local web server (src-main/web/) calls `verifyAndConsume(token)` when a link is opened: it
 * returns the episode the link belongs to (for the page to say what brought the person there) and
 * forgets the token, or null for an unknown, used or expired one.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../app/clock.js';
import { registerSecret } from '../log/redact.js';
import type { EpisodeKind } from './episodes.js';
import { isRecord, readStateFile, writeStateFile } from './state-file.js';

export const LINKS_FILE = 'notify-links.json';

export interface LinkGrant {
  episodeId: string;
  kind: EpisodeKind;
}

interface StoredLink extends LinkGrant {
  hash: string;
  expiresAt: number;
}

function isLinks(value: unknown): value is { links: StoredLink[] } {
  return isRecord(value) && Array.isArray(value.links);
}

function hashOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class LinkTokenStore {
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.path = join(dataDir, LINKS_FILE);
  }

  /** A new token for one notification of `grant.episodeId`, valid for `ttlMs`; only its hash is stored. */
  issue(grant: LinkGrant, ttlMs: number): string {
    const token = randomBytes(24).toString('base64url');
    registerSecret(token);
    const links = this.live();
    links.push({ ...grant, hash: hashOf(token), expiresAt: this.clock.now() + ttlMs });
    this.save(links);
    return token;
  }

  /** The episode the token was issued for, once: the token is forgotten by this call. Null when unknown, used or expired. */
  verifyAndConsume(token: string): LinkGrant | null {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return null;
    const wanted = Buffer.from(hashOf(token), 'hex');
    const links = this.live();
    const index = links.findIndex((link) => timingSafeEqual(Buffer.from(link.hash, 'hex'), wanted));
    if (index < 0) return null;
    const [link] = links.splice(index, 1);
    this.save(links);
    return link ? { episodeId: link.episodeId, kind: link.kind } : null;
  }

  /** Forgets every token of an episode (it was resolved: its links lead nowhere now). */
  revokeEpisode(episodeId: string): void {
    const links = this.live();
    const kept = links.filter((link) => link.episodeId !== episodeId);
    if (kept.length !== links.length) this.save(kept);
  }

  /** How many tokens are still valid (for tests and diagnostics). */
  count(): number {
    return this.live().length;
  }

  private live(): StoredLink[] {
    const now = this.clock.now();
    const stored = readStateFile(this.path, { links: [] }, isLinks).links;
    return stored.filter((link) => typeof link.hash === 'string' && link.hash.length === 64 && link.expiresAt > now);
  }

  private save(links: StoredLink[]): void {
    writeStateFile(this.path, { links });
  }
}
