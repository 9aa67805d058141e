/** The account's tracker database, where the CLI and the desktop app both find it. */
import { existsSync } from 'node:fs';
import { trackerFile } from '../config/paths.js';
import { Tracker } from '../tracker/tracker.js';
import { requireAppleId, type CliContext } from './context.js';

export function trackerPathOf(context: CliContext): string {
  return trackerFile(context.paths, requireAppleId(context));
}

/** The tracker, or null when this account has never been synced (nothing is created then). */
export function openExistingTracker(context: CliContext): Tracker | null {
  const path = trackerPathOf(context);
  return existsSync(path) ? Tracker.open(path) : null;
}

export function withTracker<T>(context: CliContext, use: (tracker: Tracker | null) => T): T {
  const tracker = openExistingTracker(context);
  try {
    return use(tracker);
  } finally {
    tracker?.close();
  }
}
