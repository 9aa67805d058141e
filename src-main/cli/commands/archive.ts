/**
 * `archive`: copies what is new in the sync folder to the Azure blob container of the settings
 * (see README "Off-site archive"). `--dry-run` lists what would be sent and makes no request;
 * `--mirror` also removes the archived copies of files you deleted.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ERROR_CATALOGUE } from '../../../src-shared/errors.js';
import type { ArchiveEvent, ArchiveSummary } from '../../archive/archive-run.js';
import { SecretsStore } from '../../config/secrets-store.js';
import { UserError } from '../../config/user-error.js';
import { buildContext, requireSyncFolder, type CliContext, type GlobalOptions } from '../context.js';
import { EXIT, ExitWith, exitCodeFor, type ExitCode } from '../exit-codes.js';
import { trackerPathOf } from '../open-tracker.js';
import { errorLine, formatBytes, formatRecord, formatTable } from '../output.js';
import { createProgressReporter, type ProgressReporter } from '../progress.js';
import { parseCount } from './sync.js';

interface ArchiveFlags {
  dryRun?: boolean;
  mirror?: boolean;
  confirmDeletions?: number;
  verbose?: boolean;
}

export function registerArchiveCommand(program: Command): void {
  program
    .command('archive')
    .description('copy what is new in the sync folder to the Azure blob container (off-site archive)')
    .option('--dry-run', 'list what would be uploaded; send nothing, change nothing')
    .option('--mirror', 'also remove archived copies of files you deleted (same as the archiveMirror setting)')
    .option('--confirm-deletions <count>', 'with --mirror: you deleted this many files on purpose (the count the stop named)', parseCount)
    .option('--verbose', 'list every file')
    .action(async (flags: ArchiveFlags, command: Command) => {
      const context = buildContext(command, 'archive');
      const folder = requireSyncFolder(context);
      const databasePath = trackerPathOf(context);
      if (!existsSync(databasePath)) throw new UserError('NOT_SET_UP', 'Nothing was synced yet: run a sync first, then the archive.');
      const quiet = Boolean(command.optsWithGlobals<GlobalOptions>().quiet);
      const controller = new AbortController();
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(EXIT.INTERRUPTED);
        context.logger.warn('stopping after the uploads in progress (press Ctrl-C again to quit at once)');
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const progress = new ArchiveProgress(context, context.format === 'human' && !quiet, Boolean(flags.verbose));
      // Loaded on first use: the Azure SDK and SQLite are not needed for --help or the other commands.
      const [{ archiveInputOf, archiveOptionsOf }, { runArchive }] = await Promise.all([
        import('../../archive/archive-from-settings.js'),
        import('../../archive/archive-run.js'),
      ]);
      let summary: ArchiveSummary;
      try {
        summary = await runArchive(archiveInputOf(context.settings, folder, databasePath, new SecretsStore(context.paths.root)), {
          ...archiveOptionsOf(context.settings),
          ...(flags.mirror ? { mirror: true } : {}),
          dryRun: Boolean(flags.dryRun),
          ...(flags.confirmDeletions !== undefined ? { confirmDeletions: flags.confirmDeletions } : {}),
          signal: controller.signal,
          onEvent: (event) => progress.on(event),
        });
      } finally {
        progress.finish();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const exitCode = exitCodeOfArchive(summary);
      if (!(quiet && context.format === 'human' && exitCode === EXIT.OK)) printSummary(context, summary, Boolean(flags.verbose));
      if (exitCode !== EXIT.OK) throw new ExitWith(exitCode);
    });
}

export function exitCodeOfArchive(summary: ArchiveSummary): ExitCode {
  if (summary.errorCode === 'INTERRUPTED') return EXIT.INTERRUPTED;
  if (summary.errorCode) return exitCodeFor(summary.errorCode);
  return summary.outcome === 'partial' ? EXIT.PARTIAL : EXIT.OK;
}

/** Progress on stderr: the sync's bar (or log lines), and a line per wait Azure asked for. */
class ArchiveProgress {
  private reporter: ProgressReporter | null = null;

  constructor(
    private readonly context: CliContext,
    private readonly show: boolean,
    private readonly verbose: boolean,
  ) {}

  on(event: ArchiveEvent): void {
    const logger = this.context.logger;
    switch (event.type) {
      case 'planned':
        logger.info({ ...event }, `archive plan: ${event.toUpload} to upload (${formatBytes(event.toUploadBytes)}), ${event.alreadyArchived} already archived, ${event.toRemove} to remove`);
        if (this.show && event.toUpload > 0) this.reporter = createProgressReporter(logger);
        break;
      case 'progress':
        this.reporter?.update(event);
        break;
      case 'waiting':
        logger.warn({ seconds: event.seconds }, `${event.reason}: waiting ${event.seconds}s before trying again`);
        break;
      case 'file':
        if (event.outcome === 'failed') logger.warn({ path: event.relPath, error: event.error }, 'not archived; tried again on the next run');
        else if (this.verbose) logger.info({ path: event.relPath }, event.outcome);
        else logger.debug({ path: event.relPath }, event.outcome);
        break;
    }
  }

  finish(): void {
    this.reporter?.finish();
    this.reporter = null;
  }
}

const TITLES: Record<string, string> = {
  outcome: 'Outcome',
  toUpload: 'Planned uploads',
  toUploadBytes: 'Planned bytes',
  alreadyArchived: 'Already archived',
  missing: 'Not on disk (skipped)',
  rehashed: 'Hashed again (changed)',
  uploaded: 'Uploaded',
  bytes: 'Bytes sent',
  blocksReused: 'Blocks resumed',
  toRemove: 'To remove (mirror)',
  removed: 'Removed (mirror)',
  failed: 'Failed (retried next run)',
  errorCode: 'Stopped because',
  retryAfterSeconds: 'Azure asked to wait (s)',
  runId: 'Run id',
};

function summaryRecord(summary: ArchiveSummary) {
  return {
    outcome: summary.dryRun ? `${summary.outcome} (dry run: nothing sent)` : summary.outcome,
    toUpload: summary.toUpload,
    toUploadBytes: summary.toUploadBytes,
    alreadyArchived: summary.alreadyArchived,
    missing: summary.missing,
    rehashed: summary.rehashed,
    uploaded: summary.uploaded,
    bytes: summary.bytes,
    blocksReused: summary.blocksReused,
    toRemove: summary.toRemove,
    removed: summary.removed,
    failed: summary.failures.length,
    errorCode: summary.errorCode,
    retryAfterSeconds: summary.retryAfterSeconds,
    runId: summary.runId,
  };
}

function printSummary(context: CliContext, summary: ArchiveSummary, verbose: boolean): void {
  const record = summaryRecord(summary);
  if (context.format === 'json') {
    context.print(`${JSON.stringify({ ...record, outcome: summary.outcome, dryRun: summary.dryRun, failures: summary.failures, ...(summary.dryRun ? { planned: summary.planned } : {}) }, null, 2)}\n`);
  } else if (context.format === 'csv') {
    context.print(summary.dryRun && verbose ? formatTable({ columns: [{ key: 'relPath', title: 'path' }, { key: 'blobName', title: 'blob' }, { key: 'size', title: 'bytes' }], rows: summary.planned }, 'csv') : formatRecord(record, 'csv'));
  } else {
    if (summary.dryRun && verbose) context.print(formatTable({ columns: [{ key: 'relPath', title: 'Would upload', shrink: true }, { key: 'size', title: 'Size' }], rows: summary.planned.map((p) => ({ ...p, size: formatBytes(p.size) })) }, 'human'));
    context.print(formatRecord({ ...record, toUploadBytes: formatBytes(record.toUploadBytes), bytes: formatBytes(record.bytes) }, 'human', TITLES));
    for (const failure of summary.failures) process.stderr.write(`not archived: ${failure.relPath}: ${failure.message}\n`);
  }
  if (summary.errorCode) {
    const message = summary.errorCode === 'MASS_DELETION' ? (summary.errorMessage ?? ERROR_CATALOGUE.MASS_DELETION) : (summary.errorMessage ?? ERROR_CATALOGUE[summary.errorCode]);
    process.stderr.write(errorLine(message, summary.errorCode));
  }
}
