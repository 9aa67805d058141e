/**
 * `daemon`: the sync service (src-main/app) without a window: it syncs on the interval until
 * stopped (SIGINT/SIGTERM), with the service's one scheduler. When a sign-in needs a person (a
 * code, or a password nobody configured) it stops syncing, says so plainly in the log, and resumes
 * by itself as soon as `icloud-photo-sync auth` has stored a fresh session.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { AppSnapshot } from '../../../src-shared/snapshot.js';
import { ACTION_WORDING, actionOf, messageFor } from '../../../src-shared/user-actions.js';
import type { SyncService } from '../../app/sync-service.js';
import type { SettingKey } from '../../config/settings.js';
import { buildContext, requireAppleId, requireSyncFolder, type CliContext, type GlobalOptions } from '../context.js';
import { EXIT, ExitWith } from '../exit-codes.js';
import { waitFor } from '../wait.js';
import { paceHeapFor } from '../heap-sizing.js';

/** How often the daemon looks for a new session while it waits for a sign-in (a local file check). */
const SESSION_POLL_MS = 2000;
/** A daemon has nobody to keep waiting: its first run starts almost at once. */
const DAEMON_FIRST_RUN_DELAY_MS = 1000;

export function registerDaemonCommand(program: Command): void {
  program
    .command('daemon')
    .description('sync on an interval (--interval, default 6h) until stopped')
    .option('--web', 'also serve the local web page (its link is printed on a terminal and written to web-link.txt in the data folder)')
    .action(async (options: { web?: boolean }, command: Command) => {
      const context = buildContext(command, 'daemon');
      requireAppleId(context);
      requireSyncFolder(context);
      const stop = new AbortController();
      let stoppedBy: NodeJS.Signals | null = null;
      const onSignal = (signal: NodeJS.Signals) => {
        context.logger.info('stopping: finishing the files in progress');
        stoppedBy ??= signal;
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await runDaemon(context, command.optsWithGlobals<GlobalOptions>().config, stop.signal, options.web === true);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      context.logger.info('daemon stopped');
      // Ctrl-C exits 130 like `sync`; SIGTERM is a service manager's normal stop (exit 0).
      if (stoppedBy === 'SIGINT') throw new ExitWith(EXIT.INTERRUPTED);
    });
}

async function runDaemon(context: CliContext, configPath: string | undefined, signal: AbortSignal, web: boolean): Promise<void> {
  const log = context.logger;
  // Flags win over config.json and are shown read-only by the service.
  const flags: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, source] of Object.entries(context.loaded.sources)) if (source === 'flag') flags[key as SettingKey] = context.settings[key as SettingKey];
  // Loaded here, not at start-up: the service (engine, iCloud client, web page) is most of the
  // CLI's memory, and every other command and --help start without it.
  const [{ iCloudClientFactory }, { SyncService }, { ServicePage }] = await Promise.all([
    import('../../app/client-factory.js'),
    import('../../app/sync-service.js'),
    import('../../web/service-page.js'),
  ]);
  const page = new ServicePage();
  const service = new SyncService({
    dataDir: context.paths.root,
    ...(configPath ? { configPath } : {}),
    flags,
    clientFactory: iCloudClientFactory({ endpoints: context.network.endpoints, client: context.network.dnsLookup ? { dnsLookup: context.network.dnsLookup } : {} }),
    firstRunDelayMs: DAEMON_FIRST_RUN_DELAY_MS,
    logger: log,
    signInSource: 'daemon',
    // Notifications link to the local page: it is served while an episode is open.
    notify: { page: page.forNotifications },
  });
  let said = '';
  let watching = false;
  service.onEvent((event) => {
    if (event.type !== 'snapshot') return;
    const snapshot = event.snapshot;
    paceHeapFor(snapshot.progress?.phase ?? 'listing');
    const key = `${snapshot.state}/${snapshot.errorCode}/${snapshot.throttledUntil}`;
    if (key === said) return;
    said = key;
    reportState(context, snapshot);
    if (snapshot.state === 'needs-you' && !watching) {
      watching = true;
      void resumeAfterNewSession(context, service, signal).finally(() => (watching = false));
    }
  });
  log.info({ interval: context.settings.interval }, `daemon started: syncing every ${context.settings.interval}`);
  const channels = context.settings.notifyChannels.filter((channel) => channel !== 'desktop');
  if (channels.length) log.info({ channels }, `notifications go to ${channels.join(' and ')}`);
  for (const { channel, problem } of service.notifier.channelProblems()) {
    if (channel !== 'desktop') log.warn({ channel, field: problem.field }, `${channel} notifications cannot be sent: ${problem.message}`);
  }
  const show = process.stdout.isTTY ? (line: string) => process.stdout.write(line) : null;
  // Without --web the page still starts for a code or a notification, and stops after.
  page.attach(service, { dataDir: context.paths.root, logger: log, show });
  await service.start();
  if (web) await page.setAlwaysOn(true);
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await page.stop();
  await service.stop();
}

function reportState(context: CliContext, snapshot: AppSnapshot): void {
  const log = context.logger;
  const code = snapshot.errorCode;
  if (snapshot.state === 'needs-you') {
    log.warn({ code }, `Syncing is paused: iCloud needs you to sign in (${code}). Run "icloud-photo-sync auth" on this machine; syncing resumes by itself afterwards.`);
  } else if (snapshot.throttledUntil) {
    log.warn({ code, retryAfter: snapshot.throttledUntil }, `iCloud asked us to slow down: next run at ${snapshot.throttledUntil}`);
  } else if (code && (snapshot.state === 'error' || snapshot.state === 'offline')) {
    // The snapshot's sentence is the app's wording; the log speaks to a command-line user.
    const action = actionOf(code);
    log.warn({ code }, `${messageFor(code, 'cli')}${action ? ` ${ACTION_WORDING[action].cli}` : ''} Next run at ${snapshot.nextRunAt ?? 'the next interval'}.`);
  }
}

function sessionStamp(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Whether the session file holds a finished sign-in (accountLogin stored the account's dsid). An
 * `auth` still waiting for its code has written the file too, without it: resuming then would start
 * a second sign-in beside the one the person is finishing.
 */
function holdsFinishedSignIn(path: string): boolean {
  try {
    return typeof (JSON.parse(readFileSync(path, 'utf8')) as { dsid?: unknown }).dsid === 'string';
  } catch {
    return false;
  }
}

/** Waits until `auth` has stored a finished sign-in, without contacting Apple meanwhile, then resumes. */
async function resumeAfterNewSession(context: CliContext, service: SyncService, signal: AbortSignal): Promise<void> {
  const path = service.currentClient?.sessionFiles.session;
  if (!path) return;
  let seen = sessionStamp(path);
  while (!signal.aborted) {
    await waitFor(SESSION_POLL_MS, signal);
    const now = sessionStamp(path);
    if (now === 0 || now === seen || signal.aborted) continue;
    seen = now;
    if (!holdsFinishedSignIn(path)) continue;
    context.logger.info('a new session was stored: resuming');
    await service.openClient();
    await service.sessionReady();
    return;
  }
}
