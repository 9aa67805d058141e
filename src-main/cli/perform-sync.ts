/**
 * One sync run for the CLI (used by `sync` and `daemon`): a ready iCloud session, the Photos
 * library, the engine, progress on the console, and the summary's exit code.
 */
import { toSyncOptions } from '../config/sync-settings.js';
import type { ICloudClient } from '../icloud/client.js';
import type { SyncEvent } from '../sync/sync-events.js';
import type { SyncSummary } from '../sync/sync-summary.js';
import { requireSyncFolder, type CliContext } from './context.js';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';
import { trackerPathOf } from './open-tracker.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';
import { paceHeapFor } from './heap-sizing.js';

export interface PerformSyncOptions {
  dryRun: boolean;
  /** The number of vanished files the user confirms deleted (`--confirm-deletions <count>`). */
  confirmDeletions?: number;
  /** Log every file (and, on a dry run, every planned action). */
  verbose: boolean;
  signal?: AbortSignal;
  /** Show progress (a bar on a terminal, log lines otherwise). */
  progress: boolean;
}

export async function performSync(context: CliContext, client: ICloudClient, options: PerformSyncOptions): Promise<SyncSummary> {
  const folder = requireSyncFolder(context);
  // Loaded on first use, so commands that never sync start without the engine and the Photos client.
  const [{ createPhotoLibrary }, { runSync }] = await Promise.all([import('../icloud/photos/photo-library.js'), import('../sync/engine.js')]);
  const logger = context.logger;
  const source = createPhotoLibrary({
    transport: client.transport,
    logger: logger.child({ scope: 'photos' }),
    download: context.network.dnsLookup ? { dnsLookup: context.network.dnsLookup } : {},
  });
  let reporter: ProgressReporter | null = null;
  const onEvent = (event: SyncEvent): void => {
    switch (event.type) {
      case 'phase':
        paceHeapFor(event.phase);
        if (event.phase === 'planning' && event.counts) {
          const c = event.counts;
          logger.info(
            { listing: event.listing, assets: event.assets, ...c },
            `plan: ${c.download} to download, ${c.adopt} to adopt, ${c.move} to move, ${c.alreadyHave} already here, ${c.deletedLocally} deleted locally`,
          );
        } else if (event.phase === 'transferring' && options.progress) {
          reporter = createProgressReporter(logger);
        } else logger.info(`${event.phase}...`);
        break;
      case 'progress':
        reporter?.update(event);
        break;
      case 'file':
        if (event.outcome === 'failed') logger.warn({ path: event.relPath, error: event.error }, 'file failed; it is retried on the next run');
        else if (options.verbose) logger.info({ path: event.relPath }, event.outcome);
        else logger.debug({ path: event.relPath }, event.outcome);
        break;
      case 'finished':
        (reporter as ProgressReporter | null)?.finish();
        reporter = null;
        break;
    }
  };
  try {
    const summary = await runSync(
      { source, folder, databasePath: trackerPathOf(context), connect: () => client.ensureReady() },
      { ...toSyncOptions(context.settings), dryRun: options.dryRun, ...(options.confirmDeletions !== undefined ? { confirmDeletions: options.confirmDeletions } : {}), onEvent, ...(options.signal ? { signal: options.signal } : {}) },
    );
    if (summary.errorCode) logger.warn({ code: summary.errorCode, detail: summary.errorMessage }, 'the run stopped early');
    return summary;
  } finally {
    (reporter as ProgressReporter | null)?.finish();
  }
}

/** The exit code a finished run stands for. */
export function exitCodeOfSummary(summary: SyncSummary): ExitCode {
  if (summary.errorCode) return exitCodeFor(summary.errorCode);
  if (summary.outcome === 'interrupted') return EXIT.INTERRUPTED;
  if (summary.outcome === 'partial') return EXIT.PARTIAL;
  return summary.outcome === 'success' ? EXIT.OK : EXIT.UNEXPECTED;
}
