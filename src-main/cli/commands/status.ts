/** `status`: the account, its session and trust expiry, what the tracker holds, and the last runs. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { AssetErrorRecord, RunRecord, TrackerCounts } from '../../tracker/tracker-types.js';
import { buildContext } from '../context.js';
import { openClient } from '../open-client.js';
import { NEEDS_ATTENTION_ATTEMPTS, readSyncStatus } from '../../sync/sync-queries.js';
import { trackerPathOf } from '../open-tracker.js';
import { formatBytes, formatRecord, formatTable, formatTime, type Table } from '../output.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the session, trust expiry, tracked files and the last runs')
    .option('--runs <n>', 'how many recent runs to show', '10')
    .action(async (options: { runs: string }, command: Command) => {
      const context = buildContext(command, 'status');
      const client = await openClient(context, { interactive: false });
      const trustEnds = await client.trustExpiresAt();
      const sessionStored = existsSync(client.sessionFiles.session);
      const limit = Math.max(1, Number.parseInt(options.runs, 10) || 10);
      // A snapshot read: status never writes, and works while a sync is running.
      const status = existsSync(trackerPathOf(context)) ? readSyncStatus(trackerPathOf(context), limit) : null;
      const counts = status?.counts ?? null;
      const runs = status?.lastRuns ?? [];
      const summary = {
        appleId: client.appleId,
        syncFolder: context.settings.syncFolder ?? null,
        session: sessionStored ? 'stored' : 'none (run icloud-photo-sync auth)',
        trustExpiresAt: formatTime(trustEnds?.getTime()),
        trustDaysLeft: trustEnds ? Math.floor((trustEnds.getTime() - Date.now()) / 86_400_000) : null,
        tracker: trackerPathOf(context),
      };
      if (context.format === 'json') {
        const pendingErrors = status?.pendingErrors ?? [];
        const needsAttention = status?.needsAttention ?? [];
        context.print(`${JSON.stringify({ ...summary, sessionStored, layout: status?.layoutTemplate ?? null, counts, runs: runs.map(runRow), pendingErrors, needsAttention }, null, 2)}\n`);
        return;
      }
      if (context.format === 'csv') {
        context.print(formatTable(runsTable(runs), 'csv'));
        return;
      }
      context.print(formatRecord({ ...summary, ...countsRecord(counts) }, 'human', TITLES));
      context.print('\nLast runs:\n');
      context.print(formatTable(runsTable(runs), 'human'));
      const attention = status?.needsAttention ?? [];
      if (attention.length > 0) {
        context.print(`\nNeeds attention (failed on ${NEEDS_ATTENTION_ATTEMPTS} runs or more; still retried now and then):\n`);
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
  pendingErrors: 'Items to retry',
};

function countsRecord(counts: TrackerCounts | null): Record<string, string | number> {
  if (!counts) return { downloaded: 'never synced' };
  return { ...counts, bytesOnDisk: formatBytes(counts.bytesOnDisk) };
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

function attentionTable(errors: AssetErrorRecord[]): Table {
  const keys = ['assetId', 'version', 'attempts', 'lastAt', 'message'];
  const rows = errors.map((error) => ({ ...error, lastAt: formatTime(error.lastAt) }));
  return { columns: keys.map((key) => ({ key, title: key })), rows };
}
