/**
 * The episodes the notifier tells a person about, and the words of each notification. An episode
 * opens on evidence (a state, a run's end) and closes on evidence that it was resolved (signed in,
 * a run that reached the end of the listing), never merely because a state is not known yet: a
 * restarted service must not close and re-announce what is still open.
 */
import type { ErrorCode } from '../../src-shared/errors.js';
import { messageFor } from '../../src-shared/user-actions.js';

export const EPISODE_KINDS = ['code-needed', 'password-needed', 'trust-expiring', 'sync-failing', 'folder-missing', 'mass-deletion', 'disk-full'] as const;
export type EpisodeKind = (typeof EPISODE_KINDS)[number];

/** Stops with an episode of their own: they do not also count as "syncing has failed". */
export const STOP_EPISODES: Partial<Record<ErrorCode, EpisodeKind>> = {
  FOLDER_MISSING: 'folder-missing',
  MASS_DELETION: 'mass-deletion',
  DISK_FULL: 'disk-full',
};

/** The announcement and each later nudge of an episode. */
export type Stage = 'announce' | 'reminder' | 'last-day';

export interface OpenEpisode {
  /** Kind, plus what makes a new one of the same kind (a new trust end). */
  id: string;
  kind: EpisodeKind;
  openedAt: number;
  /** Stages already sent: each goes out once, also across restarts. */
  sent: Stage[];
  /** trust-expiring: the estimated end of trust. */
  trustEndsAt?: number;
  /** sync-failing: the error code of the latest failed run. */
  reason?: ErrorCode | null;
  /** sync-failing: the last run that reached the end, or the first failure when none did. */
  since?: number;
}

export interface NotificationText {
  title: string;
  message: string;
  /** A code is needed now: Pushover priority 1, ntfy "high". */
  urgent: boolean;
  /** Words for the link, e.g. "Enter the code" (each channel says where: a link, or a click). */
  linkTitle: string;
}

const DAY_MS = 24 * 3600_000;

/** Titles never carry personal details: ntfy sends the title and the link only. */
export function describe(episode: OpenEpisode, stage: Stage, now: number): NotificationText {
  const again = stage === 'reminder' ? 'Reminder: ' : '';
  switch (episode.kind) {
    case 'code-needed':
      return {
        title: `${again}iCloud Photo Sync needs a verification code`,
        message: 'Apple asks for a verification code before syncing can go on.',
        urgent: true,
        linkTitle: 'Enter the code',
      };
    case 'password-needed':
      return {
        title: `${again}iCloud Photo Sync needs your Apple ID password`,
        message: 'Apple asks you to sign in again before syncing can go on.',
        urgent: false,
        linkTitle: 'Sign in',
      };
    case 'trust-expiring': {
      const end = episode.trustEndsAt ?? now;
      const days = Math.max(1, Math.ceil((end - now) / DAY_MS));
      return {
        title: stage === 'last-day' ? 'Your iCloud sign-in ends tomorrow' : 'Your iCloud sign-in ends soon',
        message: `Apple will ask for a new sign-in in about ${days} day${days === 1 ? '' : 's'} (around ${new Date(end).toISOString().slice(0, 10)}; an estimate). Sign in again before then and syncing goes on without a break.`,
        urgent: false,
        linkTitle: 'Sign in again',
      };
    }
    case 'sync-failing': {
      const reason = episode.reason ? ` The latest run stopped because: ${messageFor(episode.reason, 'app')}` : '';
      return {
        title: 'Syncing has failed for a while',
        message: `No sync has reached the end of your library since ${new Date(episode.since ?? episode.openedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC.${reason}`,
        urgent: false,
        linkTitle: 'See what happened',
      };
    }
    case 'folder-missing':
      return { title: 'The sync folder is missing', message: messageFor('FOLDER_MISSING', 'app'), urgent: false, linkTitle: 'Open iCloud Photo Sync' };
    case 'mass-deletion':
      return { title: 'Many files vanished from the sync folder', message: messageFor('MASS_DELETION', 'app'), urgent: false, linkTitle: 'Review the deletions' };
    case 'disk-full':
      return { title: 'The disk is full', message: messageFor('DISK_FULL', 'app'), urgent: false, linkTitle: 'Open iCloud Photo Sync' };
  }
}
