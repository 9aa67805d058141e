/** `status`: the account, its session and trust expiry, what the tracker holds, and the last runs. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { ArchiveStatus } from '../../archive/archive-status.js';
import { expandHome } from '../../config/paths.js';
import type { RunRecord, TrackerCounts } from '../../tracker/tracker-types.js';
import { buildContext } from '../context.js';
import { openClient } from '../open-client.js';
import type { AttentionEntry, SyncStatus } from '../../sync/sync-queries.js';
import { trackerPathOf } from '../open-tracker.js';
import { daysUntil, formatBytes, formatRecord, formatTable, formatTime, type Table } from '../output.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the session, trust expiry, tracked files and the last runs')
    .option('--runs <n>', 'how many recent runs to show', wholeNumber, 10)
    .action(async (options: { runs: number }, command: Command) => {
      const context = buildContext(command, 'status');
      const client = await openClient(context, { interactive: false });
      // Loaded on first use: SQLite is not needed for --help or the other commands.
      const [{ NEEDS_ATTENTION_ATTEMPTS, syncStatusOf }, { Tracker }, { readArchiveStatus }] = await Promise.all([
        import('../../sync/sync-queries.js'),
        import('../../tracker/tracker.js'),
        import('../../archive/archive-status.js'),
      ]);
      const trustEnds = await client.trustExpiresAt();
      const sessionStored = existsSync(client.sessionFiles.session);
      const folder = context.settings.syncFolder ? resolve(expandHome(context.settings.syncFolder)) : null;
      // Opened once for the sync's and the archive's state (an open may check every page), read in
      // place and never written (Tracker.openReadOnly): works while a sync is running.
      const tracker = existsSync(trackerPathOf(context)) ? Tracker.openReadOnly(trackerPathOf(context)) : null;
      let status: SyncStatus | null;
      let archive: ArchiveStatus;
      try {
        status = tracker ? syncStatusOf(tracker, options.runs) : null;
        archive = await readArchiveStatus(context.settings, folder && existsSync(folder) ? folder : null, tracker);
      } finally {
        tracker?.close();
      }
      const counts = status?.counts ?? null;
      const runs = status?.lastRuns ?? [];
      const summary = {
        appleId: client.appleId,
        syncFolder: context.settings.syncFolder ?? null,
        session: sessionStored ? 'stored' : 'none (run icloud-photo-sync auth)',
        trustExpiresAt: formatTime(trustEnds?.getTime()),
        trustDaysLeft: trustEnds ? daysUntil(trustEnds) : null,
        tracker: trackerPathOf(context),
      };
      if (context.format === 'json') {
        const pendingErrors = (status?.pendingErrors ?? []).map((e) => ({ ...e, firstAt: formatTime(e.firstAt), lastAt: formatTime(e.lastAt) }));
        const needsAttention = (status?.needsAttention ?? []).map((n) => ({ ...n, lastAt: formatTime(n.lastAt) }));
        const report = { ...summary, sessionStored, layout: status?.layoutTemplate ?? null, counts, runs: runs.map(runRow), pendingErrors, needsAttention, archive: archiveJson(archive) };
        context.print(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      if (context.format === 'csv') {
        context.print(formatTable(runsTable(runs), 'csv'));
        return;
      }
      const needsAttention = status ? { needsAttention: attentionSummary(status.pendingErrors.length, status.needsAttention) } : {};
      context.print(formatRecord({ ...summary, ...countsRecord(counts), ...needsAttention, ...archiveRecord(archive) }, 'human', TITLES));
      context.print('\nLast runs:\n');
      context.print(formatTable(runsHumanTable(runs), 'human'));
      const attention = status?.needsAttention ?? [];
      if (attention.length > 0) {
        context.print(`\nNeeds attention (refused by iCloud, or failed on ${NEEDS_ATTENTION_ATTEMPTS} runs or more and still retried now and then):\n`);
        context.print(formatTable(attentionTable(attention), 'human'));
      }
    });
}

const TITLES: Record<string, string> = {
  appleId: 'Apple ID',
  syncFolder: 'Sync folder',
  session: 'Session',
  trustExpiresAt: 'Trusted until',
  trustDaysLeft: 'Trust days left',
  tracker: 'Tracker',
  assets: 'Assets seen',
  downloaded: 'Files downloaded',
  deletedLocally: 'Deleted locally',
  bytesOnDisk: 'On disk',
  needsAttention: 'Needs attention',
  archive: 'Azure archive',
  lastArchive: 'Last archive run',
  archiveProblem: 'Archive problem',
  notYetArchived: 'Not yet archived',
};

function archiveJson(archive: ArchiveStatus) {
  const last = archive.lastRun;
  return {
    ...archive,
    lastRun: last ? { ...last, startedAt: formatTime(last.startedAt), endedAt: formatTime(last.endedAt) } : null,
  };
}

/** Off in one line; on (or once on): the last run, its problem in plain words, and what is still to send. */
function archiveRecord(archive: ArchiveStatus): Record<string, string> {
  const last = archive.lastRun;
  if (!archive.enabled && !last) return { archive: 'off (see README, "Off-site archive")' };
  const record: Record<string, string> = { archive: archive.enabled ? `on, container ${archive.container ?? '(not set)'}` : 'off' };
  record.lastArchive = last
    ? `${formatTime(last.endedAt) ?? ''}, ${last.outcome}, ${last.uploaded} uploaded (${formatBytes(last.bytes)})${last.failed > 0 ? `, ${last.failed} failed` : ''}`
    : 'never (runs after each sync in the app or daemon, or: icloud-photo-sync archive)';
  if (last?.problem) record.archiveProblem = last.problem;
  if (archive.notYetArchived) record.notYetArchived = `${archive.notYetArchived.files} files (${formatBytes(archive.notYetArchived.bytes)})`;
  return record;
}

function countsRecord(counts: TrackerCounts | null): Record<string, string | number> {
  if (!counts) return { downloaded: 'never synced' };
  // The files to retry are told in plain words under "Needs attention".
  const { pendingErrors: _toRetry, ...shown } = counts;
  return { ...shown, bytesOnDisk: formatBytes(counts.bytesOnDisk) };
}

/** One line for people: every file that keeps failing (also while it backs off) and every record iCloud refuses. */
function attentionSummary(failingFiles: number, entries: AttentionEntry[]): string {
  const refused = entries.filter((entry) => entry.kind === 'refused-by-icloud').length;
  const parts: string[] = [];
  if (failingFiles > 0) {
    parts.push(`${failingFiles} ${failingFiles === 1 ? 'file' : 'files'} failed to download (tried again on later runs)`);
  }
  if (refused > 0) parts.push(`${refused} ${refused === 1 ? 'item' : 'items'} refused by iCloud (skipped until changed in iCloud)`);
  return parts.length > 0 ? parts.join('; ') : 'nothing';
}

function runRow(run: RunRecord): Record<string, string | number | null> {
  return {
    id: run.id,
    startedAt: formatTime(run.startedAt),
    endedAt: formatTime(run.endedAt),
    outcome: run.outcome,
    listing: run.listing,
    downloaded: run.downloaded,
    adopted: run.adopted,
    moved: run.moved,
    skipped: run.skipped,
    deletedNoticed: run.deletedNoticed,
    failed: run.failed,
    bytes: run.bytes,
    errorCode: run.errorCode,
  };
}

function runsTable(runs: RunRecord[]): Table {
  const keys = ['id', 'startedAt', 'endedAt', 'outcome', 'listing', 'downloaded', 'adopted', 'moved', 'skipped', 'deletedNoticed', 'failed', 'bytes', 'errorCode'];
  return { columns: keys.map((key) => ({ key, title: key })), rows: runs.map(runRow) };
}

/** The runs for people: the columns that matter, sizes readable, within 80 columns (all of it is in --json / --csv). */
function runsHumanTable(runs: RunRecord[]): Table {
  return {
    columns: [
      { key: 'id', title: 'Run' },
      { key: 'startedAt', title: 'Started' },
      { key: 'outcome', title: 'Outcome' },
      { key: 'downloaded', title: 'New' },
      { key: 'failed', title: 'Failed' },
      { key: 'bytes', title: 'Size' },
      { key: 'errorCode', title: 'Stopped because', shrink: true },
    ],
    rows: runs.map((run) => ({ ...runRow(run), bytes: formatBytes(run.bytes) })),
  };
}

/** --runs: commander names the flag in its error ("option '--runs <n>' argument 'x' is invalid"). */
function wholeNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1) throw new InvalidArgumentError('Allowed: a whole number of 1 or more.');
  return value;
}

function attentionTable(entries: AttentionEntry[]): Table {
  return {
    columns: [
      { key: 'assetId', title: 'Item' },
      { key: 'version', title: 'Version' },
      { key: 'attempts', title: 'Tries' },
      { key: 'lastAt', title: 'Last' },
      { key: 'message', title: 'Why', shrink: true },
    ],
    rows: entries.map((entry) => ({ ...entry, lastAt: formatTime(entry.lastAt) })),
  };
}
