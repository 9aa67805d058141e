/** `sync`: one run, iCloud -> sync folder. Prints what it did; `--dry-run` only prints the plan. */
import type { Command } from 'commander';
import { ERROR_CATALOGUE } from '../../../src-shared/errors.js';
import { UserError } from '../../config/user-error.js';
import type { SyncSummary } from '../../sync/sync-summary.js';
import { buildContext, type CliContext, type GlobalOptions } from '../context.js';
import { EXIT, ExitWith } from '../exit-codes.js';
import { openClient } from '../open-client.js';
import { errorLine, formatBytes, formatRecord, formatTable, formatTime } from '../output.js';
import { exitCodeOfSummary, performSync } from '../perform-sync.js';

interface SyncFlags {
  dryRun?: boolean;
  verbose?: boolean;
  confirmDeletions?: number;
}

/** `--confirm-deletions <count>`: the number of files the user deleted on purpose, as the stop named it. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new UserError('CONFIG_INVALID', `--confirm-deletions needs the number of files you deleted (for example --confirm-deletions 12), not "${value}".`);
  }
  return Number(value.trim());
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('download what is new in iCloud into the sync folder')
    .option('--dry-run', 'show what would be done; change nothing (no file, no database row)')
    .option('--verbose', 'list every file (and, with --dry-run, every planned action)')
    .option('--confirm-deletions <count>', 'you deleted this many files from the folder on purpose: mark them deleted (the count the stop named)', parseCount)
    .action(async (flags: SyncFlags, command: Command) => {
      const context = buildContext(command, 'sync');
      const quietFlag = Boolean(command.optsWithGlobals<GlobalOptions>().quiet);
      const client = await openClient(context, { interactive: true });
      const controller = new AbortController();
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(EXIT.INTERRUPTED);
        context.logger.warn('stopping after the files in progress (press Ctrl-C again to quit at once)');
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let summary: SyncSummary;
      try {
        summary = await performSync(context, client, {
          dryRun: Boolean(flags.dryRun),
          ...(flags.confirmDeletions !== undefined ? { confirmDeletions: flags.confirmDeletions } : {}),
          verbose: Boolean(flags.verbose),
          progress: context.format === 'human' && !quietFlag,
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const exitCode = exitCodeOfSummary(summary);
      // --quiet: nothing on stdout when all went well (cron mails only what needs a look).
      const silent = quietFlag && context.format === 'human' && exitCode === EXIT.OK;
      if (!silent) printSummary(context, summary, Boolean(flags.verbose));
      if (exitCode !== EXIT.OK) throw new ExitWith(exitCode);
    });
}

const TITLES: Record<string, string> = {
  outcome: 'Outcome',
  folderChange: 'Sync folder',
  listing: 'Listing',
  toDownload: 'Planned downloads',
  toDownloadBytes: 'Planned bytes',
  alreadyHave: 'Already here',
  deletedLocally: 'Deleted locally (skipped)',
  filtered: 'Left out by options',
  downloaded: 'Downloaded',
  adopted: 'Adopted (already on disk)',
  moved: 'Moved (layout change)',
  bytes: 'Bytes downloaded',
  deletedNoticed: 'Newly deleted locally',
  movedByUser: 'Moved by you',
  underLink: 'Under a link (left alone)',
  keptChanged: 'Changed by you (left alone)',
  failed: 'Failed (retried next run)',
  errorCode: 'Stopped because',
  retryAfter: 'Try again after',
  runId: 'Run id',
};

const FOLDER_CHANGE = {
  same: 'as before',
  new: 'new to this account: everything is downloaded (or adopted when already there)',
  returned: 'used before: its own files are tracked again',
} as const;

function summaryRecord(summary: SyncSummary) {
  return {
    outcome: summary.dryRun ? `${summary.outcome} (dry run: nothing changed)` : summary.outcome,
    folderChange: FOLDER_CHANGE[summary.folderChange],
    listing: summary.listing,
    toDownload: summary.counts?.download ?? 0,
    toDownloadBytes: summary.counts?.downloadBytes ?? 0,
    alreadyHave: summary.counts?.alreadyHave ?? 0,
    deletedLocally: summary.counts?.deletedLocally ?? 0,
    filtered: summary.counts?.filtered ?? 0,
    downloaded: summary.downloaded,
    adopted: summary.adopted,
    moved: summary.moved,
    bytes: summary.bytes,
    deletedNoticed: summary.deletedNoticed,
    movedByUser: summary.movedByUser,
    underLink: summary.underLink,
    keptChanged: summary.keptChanged.length,
    failed: summary.failures.length,
    errorCode: summary.errorCode,
    retryAfter: summary.retryAfter ? formatTime(Date.parse(summary.retryAfter)) : null,
    runId: summary.runId,
  };
}

function planRows(summary: SyncSummary) {
  return (summary.plan?.actions ?? []).map((action) =>
    action.kind === 'skip'
      ? { action: `skip (${action.reason})`, path: action.relPath, assetId: action.assetId }
      : { action: action.kind, path: action.relPath, assetId: action.asset.id },
  );
}

/** A run that stopped before it had a plan (missing folder, no network, sign-in needed) did nothing to show. */
function stoppedBeforePlanning(summary: SyncSummary): boolean {
  return summary.counts === null && summary.errorCode !== null && summary.errorCode !== 'INTERRUPTED';
}

function printSummary(context: CliContext, summary: SyncSummary, verbose: boolean): void {
  const record = summaryRecord(summary);
  if (context.format === 'json') {
    const { failures, keptChanged } = summary;
    context.print(`${JSON.stringify({ ...record, outcome: summary.outcome, dryRun: summary.dryRun, failures, keptChanged, ...(verbose ? { plan: planRows(summary) } : {}) }, null, 2)}\n`);
  } else if (context.format === 'csv') {
    context.print(formatRecord(record, 'csv'));
  } else if (!stoppedBeforePlanning(summary)) {
    if (summary.dryRun && verbose) context.print(formatTable({ columns: [{ key: 'action', title: 'Action' }, { key: 'path', title: 'Path', shrink: true }], rows: planRows(summary) }, 'human'));
    context.print(formatRecord({ ...record, toDownloadBytes: formatBytes(record.toDownloadBytes), bytes: formatBytes(record.bytes) }, 'human', TITLES));
    for (const failure of summary.failures) process.stderr.write(`failed: ${failure.relPath}: ${failure.message}\n`);
    for (const kept of summary.keptChanged) {
      const where = kept.newVersionAt ? `iCloud's new version is beside it: ${kept.newVersionAt}` : 'it stays where it is';
      process.stderr.write(`you changed ${kept.relPath}, so it was left alone; ${where}\n`);
    }
  }
  if (summary.errorCode) {
    // A mass deletion's advice depends on the counts (is this the right folder? or confirm how many).
    const message = summary.errorCode === 'MASS_DELETION' ? (summary.errorMessage ?? ERROR_CATALOGUE.MASS_DELETION) : ERROR_CATALOGUE[summary.errorCode];
    process.stderr.write(errorLine(message, summary.errorCode));
    if (summary.retryAfter) process.stderr.write(`Try again after ${formatTime(Date.parse(summary.retryAfter))}.\n`);
  }
}
