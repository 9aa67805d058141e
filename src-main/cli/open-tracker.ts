/** The account's tracker database, where the CLI and the desktop app both find it. */
import { trackerFile } from '../config/paths.js';
import { requireAppleId, type CliContext } from './context.js';

export function trackerPathOf(context: CliContext): string {
  return trackerFile(context.paths, requireAppleId(context));
}
