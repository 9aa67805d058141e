/**
 * `daemon`: syncs on an interval until stopped (SIGINT/SIGTERM). When a sign-in needs a person (a
 * code, or a password nobody configured) it stops syncing, says so plainly in the log, and resumes
 * by itself as soon as `icloud-photo-sync auth` has stored a fresh session.
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { ErrorCode } from '../../../src-shared/errors.js';
import { durationSeconds } from '../../config/settings.js';
import { errorCodeOf } from '../../config/user-error.js';
import { THROTTLE_DEFAULT_WAIT_MS } from '../../icloud/backoff.js';
import type { ICloudClient } from '../../icloud/client.js';
import { buildContext, type CliContext } from '../context.js';
import { openClient } from '../open-client.js';
import { exitCodeOfSummary, performSync } from '../perform-sync.js';
import { waitFor } from '../wait.js';

/** How often the daemon looks for a new session while it waits for a sign-in (a local file check). */
const SESSION_POLL_MS = 2000;
const NEEDS_PERSON = new Set<ErrorCode>(['AUTH_REQUIRED', 'CODE_REQUIRED', 'PASSWORD_REQUIRED', 'WRONG_PASSWORD', 'CODE_LOCKED']);

export function registerDaemonCommand(program: Command): void {
  program
    .command('daemon')
    .description('sync on an interval (--interval, default 6h) until stopped')
    .action(async (_options: unknown, command: Command) => {
      const context = buildContext(command, 'daemon');
      const stop = new AbortController();
      const onSignal = () => {
        context.logger.info('stopping: finishing the files in progress');
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await daemonLoop(context, stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      context.logger.info('daemon stopped');
    });
}

async function daemonLoop(context: CliContext, signal: AbortSignal): Promise<void> {
  const log = context.logger;
  const intervalMs = durationSeconds(context.settings.interval) * 1000;
  log.info({ interval: context.settings.interval }, `daemon started: syncing every ${context.settings.interval}`);
  while (!signal.aborted) {
    const client = await openClient(context, { interactive: false });
    let code: ErrorCode | null;
    let retryAfter: Date | null;
    try {
      const summary = await performSync(context, client, { dryRun: false, confirmDeletions: false, verbose: false, progress: true, signal });
      code = summary.errorCode;
      retryAfter = summary.retryAfter ? new Date(summary.retryAfter) : null;
      log.info(
        { outcome: summary.outcome, downloaded: summary.downloaded, bytes: summary.bytes, failed: summary.failures.length, exitCode: exitCodeOfSummary(summary) },
        `run finished: ${summary.outcome}, ${summary.downloaded} downloaded`,
      );
      if (code && !NEEDS_PERSON.has(code)) log.warn({ code }, summary.errorMessage ?? code);
    } catch (error) {
      code = errorCodeOf(error) ?? null;
      const asked = (error as { retryAfter?: unknown } | null)?.retryAfter;
      retryAfter = asked instanceof Date ? asked : null;
      if (!code || !NEEDS_PERSON.has(code)) log.error({ err: error, code }, 'run failed; trying again at the next interval');
    }
    // Each round opens a fresh client (to pick up a session stored by `auth`): let this one's idle connections go.
    client.close();
    if (code && NEEDS_PERSON.has(code)) {
      log.warn(
        { code },
        `Syncing is paused: iCloud needs you to sign in (${code}). Run "icloud-photo-sync auth" on this machine; syncing resumes by itself afterwards.`,
      );
      await waitForNewSession(client, signal);
      if (!signal.aborted) log.info('a new session was stored: resuming');
      continue;
    }
    const waitMs = Math.max(intervalMs, throttleWaitMs(code, retryAfter));
    if (code === 'THROTTLED') log.warn({ code, retryAfter, nextRunAt: new Date(Date.now() + waitMs) }, `iCloud asked us to slow down: next run at ${new Date(Date.now() + waitMs).toISOString()}`);
    await waitFor(waitMs, signal);
  }
}

/**
 * How long to stay away after a throttled run, in ms from now: until Apple's Retry-After (from the
 * summary or the thrown error) and never less than our default, so a short interval never knocks
 * again while Apple is throttling.
 */
export function throttleWaitMs(code: ErrorCode | null, retryAfter: Date | null, now = Date.now()): number {
  if (code !== 'THROTTLED' && !retryAfter) return 0;
  return Math.max(THROTTLE_DEFAULT_WAIT_MS, retryAfter ? retryAfter.getTime() - now : 0);
}

function sessionStamp(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Waits until the session file changes (someone ran `auth`), without contacting Apple meanwhile. */
async function waitForNewSession(client: ICloudClient, signal: AbortSignal): Promise<void> {
  const path = client.sessionFiles.session;
  const before = sessionStamp(path);
  while (!signal.aborted) {
    await waitFor(SESSION_POLL_MS, signal);
    const now = sessionStamp(path);
    if (now !== 0 && now !== before) return;
  }
}
