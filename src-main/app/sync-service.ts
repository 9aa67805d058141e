/**
 * The sync service: one long-lived owner of an account's settings, session, schedule and state,
 * for every host (the Electron main process, `icloud-photo-sync daemon`, tests). Views never reach
 * the engine or the iCloud client: they read the snapshot, listen to events and send commands
 * (service-commands.ts). Never imports electron.
 *
 * Data flows one way: iCloud client -> engine -> tracker -> this service's snapshot -> views.
 */
import { resolve } from 'node:path';
import { errorCodeOf } from '../../src-shared/errors.js';
import { THUMBNAIL_NOT_AVAILABLE, type ThumbnailReply } from '../../src-shared/thumbnails.js';
import { appSnapshotSchema, type AppSnapshot, type ArchiveView, type ProgressView, type RunView, type WebPageView } from '../../src-shared/snapshot.js';
import { archiveInputOf, archiveOptionsOf } from '../archive/archive-from-settings.js';
import { runArchive, type ArchiveEvent } from '../archive/archive-run.js';
import { CONFIG_FILE_ENV, loadSettings, type LoadedSettings } from '../config/load-settings.js';
import { configuredPasswordSource, type ApplePasswordSource } from '../config/password-source.js';
import { SecretsStore } from '../config/secrets-store.js';
import { dataPaths, ensureDataDirs, expandHome, trackerFile, type DataPaths } from '../config/paths.js';
import { SETTING_KEYS, durationSeconds, envNameOf, type SettingKey, type Settings } from '../config/settings.js';
import { toSyncOptions } from '../config/sync-settings.js';
import { UserError } from '../config/user-error.js';
import type { SignInSource } from '../icloud/auth/sign-in-audit.js';
import type { ICloudClient } from '../icloud/client.js';
import type { ArrivalPreview } from '../icloud/photos/asset.js';
import type { PhotoSource } from '../icloud/photos/photo-source.js';
import { createLogger, type Logger } from '../log/logger.js';
import { Notifier } from '../notify/notifier.js';
import { notifyConfigOf, type ChannelEndpoints } from '../notify/notify-settings.js';
import type { DesktopNotifier } from '../notify/channels/desktop.js';
import { runSync } from '../sync/engine.js';
import type { SyncEvent } from '../sync/sync-events.js';
import type { SyncSummary } from '../sync/sync-summary.js';
import { chooseState } from './app-state.js';
import type { ClientFactory } from './client-factory.js';
import { systemClock, type Clock } from './clock.js';
import { EventHub, type AppEventListener } from './event-hub.js';
import { PauseStore } from './pause-store.js';
import { Scheduler, type RunResult } from './scheduler.js';
import { SignInFlow } from './sign-in-flow.js';
import { ArrivalsStore } from './arrivals-store.js';
import { DEFAULT_THUMBNAIL_CAPS, ThumbnailCache, type ThumbnailCaps } from './thumbnail-cache.js';
import { fetchThumbnails } from './thumbnail-fetcher.js';
import { EMPTY_TRACKER_VIEW, readTrackerView, type TrackerView } from './tracker-view.js';

const DAY_MS = 24 * 3600_000;
const RECENT_ARRIVALS = 20;

export interface SyncServiceOptions {
  /** The data folder shared with the CLI (config.json, sessions, trackers, secrets). */
  dataDir: string;
  clientFactory: ClientFactory;
  /** Settings given by the host that win over config.json (the daemon's flags); shown read-only. */
  flags?: Partial<Record<SettingKey, unknown>>;
  /** An explicit config file (the CLI's --config); default <dataDir>/config.json. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Where unattended re-sign-ins get the password; default: the settings' file or environment variable. */
  passwordSource?: (settings: Settings) => ApplePasswordSource;
  clock?: Clock;
  firstRunDelayMs?: number;
  logger?: Logger;
  notify?: NotifyHost;
  /** The host ('desktop' or 'daemon'), for the sign-in audit trail of unattended sign-ins and of its own views. */
  signInSource?: SignInSource;
  /** Caps of the thumbnail cache in <data>/cache/thumbnails (default 16 MiB and 200 images). */
  thumbnails?: Partial<ThumbnailCaps>;
}

/** What the host gives the notifier (src-main/notify/): all optional. */
export interface NotifyHost {
  /** The tray app's native notifications (the daemon has none). */
  desktop?: DesktopNotifier;
  /** Makes sure the local page is served while an episode with a link is open; returns its base URL. */
  page?: (needed: boolean) => string | null | Promise<string | null>;
  /** Tests only: local fakes of the notification services, passed in code. */
  endpoints?: ChannelEndpoints;
}

export class SyncService {
  readonly paths: DataPaths;
  readonly signIn = new SignInFlow();
  readonly scheduler: Scheduler;
  readonly notifier: Notifier;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly hub: EventHub;
  private loaded: LoadedSettings | null = null;
  private settingsError: UserError | null = null;
  private client: ICloudClient | null = null;
  private unwatchClient: (() => void) | null = null;
  private passwords: ApplePasswordSource | null = null;
  private tracker: TrackerView = EMPTY_TRACKER_VIEW;
  private progress: ProgressView | null = null;
  private arrivals: AppSnapshot['recentArrivals'] = [];
  /** What the run's listing said about the recent arrivals (thumbnail links), by Arrival.assetId. */
  private previews = new Map<string, ArrivalPreview>();
  private readonly thumbnails: ThumbnailCache;
  private readonly arrivalsStore: ArrivalsStore;
  private trustEndsAt: number | null = null;
  private vanished: number | null = null;
  private signedOut = false;
  private finishedRun: RunView | null = null;
  /** The archive stage while it runs (after a sync), or null. */
  private archiveProgress: ArchiveView['progress'] | undefined = undefined;
  private webPage: WebPageView = { status: 'off', url: null, message: null };
  private readonly stopping = new AbortController();

  constructor(private readonly options: SyncServiceOptions) {
    this.paths = dataPaths(options.dataDir);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger('service');
    this.hub = new EventHub(this.clock, () => this.snapshot());
    this.thumbnails = new ThumbnailCache(this.paths.thumbnailsDir, { ...DEFAULT_THUMBNAIL_CAPS, ...options.thumbnails }, () => this.clock.now());
    this.arrivalsStore = new ArrivalsStore(this.paths.root);
    this.readSettings();
    this.scheduler = new Scheduler({
      clock: this.clock,
      run: () => this.runOnce({}),
      pauses: new PauseStore(this.paths.root),
      intervalMs: this.intervalMs(),
      ...(options.firstRunDelayMs !== undefined ? { firstRunDelayMs: options.firstRunDelayMs } : {}),
    });
    this.notifier = new Notifier({
      dataDir: this.paths.root,
      clock: this.clock,
      logger: this.logger.child({ scope: 'notify' }),
      config: () => (this.settings ? notifyConfigOf(this.settings) : null),
      channels: { secrets: this.secrets, desktop: options.notify?.desktop ?? null, endpoints: options.notify?.endpoints ?? {} },
      ...(options.notify?.page ? { page: options.notify.page } : {}),
    });
    this.hub.on((event) => {
      if (event.type === 'snapshot') this.notifier.observe(event.snapshot);
    });
    this.scheduler.onChange(() => {
      // "Run finished" goes out once the schedule has taken the run's outcome into account.
      this.hub.snapshotChanged();
      const finished = this.finishedRun;
      if (finished && !this.scheduler.snapshot.running) {
        this.finishedRun = null;
        this.hub.runFinished(finished);
      }
    });
  }

  /** Opens the stored session (no network call), reads the tracker, and starts the schedule. */
  async start(): Promise<void> {
    ensureDataDirs(this.paths);
    this.restoreArrivals();
    if (this.settings?.appleId) await this.openClient();
    this.refreshTracker();
    this.scheduler.start();
  }

  /** Ends the run in progress after the files in flight, and stops scheduling. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.scheduler.stop();
    this.notifier.stop();
    this.unwatchClient?.();
    this.client?.close();
    this.hub.flush();
  }

  /** The host calls this on wake from sleep: one run if one was due. */
  catchUp(): void {
    this.scheduler.catchUp();
  }

  onEvent(listener: AppEventListener): () => void {
    return this.hub.on(listener);
  }

  get settings(): Settings | null {
    return this.loaded?.settings ?? null;
  }

  get loadedSettings(): LoadedSettings {
    if (!this.loaded) throw this.settingsError ?? new UserError('CONFIG_INVALID');
    return this.loaded;
  }

  /**
   * Where saved settings go and which keys the environment or a flag overrides, also while the
   * config file is invalid: saving is how the person fixes it from the app.
   */
  get settingsTarget(): Pick<LoadedSettings, 'configPath' | 'sources'> {
    if (this.loaded) return this.loaded;
    const env = this.options.env ?? process.env;
    const sources: LoadedSettings['sources'] = {};
    for (const key of SETTING_KEYS) if (env[envNameOf(key)]?.trim()) sources[key] = 'environment';
    for (const key of Object.keys(this.options.flags ?? {}) as SettingKey[]) sources[key] = 'flag';
    const explicit = this.options.configPath ?? env[CONFIG_FILE_ENV]?.trim();
    return { configPath: explicit ? resolve(expandHome(explicit)) : this.paths.configFile, sources };
  }

  get currentClient(): ICloudClient | null {
    return this.client;
  }

  get databasePath(): string | null {
    const appleId = this.settings?.appleId;
    return appleId ? trackerFile(this.paths, appleId) : null;
  }

  get syncFolder(): string | null {
    const folder = this.settings?.syncFolder;
    return folder ? resolve(expandHome(folder)) : null;
  }

  /** The snapshot, validated by the contract (a shape error here is a bug and throws). */
  snapshot(): AppSnapshot {
    const schedule = this.scheduler.snapshot;
    const archive: ArchiveView = {
      enabled: this.settings?.archiveEnabled ?? false,
      running: this.archiveProgress !== undefined,
      progress: this.archiveProgress ?? null,
      lastRun: this.tracker.lastArchiveRun,
    };
    const signIn = this.signIn.view(this.client?.state ?? { status: 'signed-out' });
    const chosen = this.settingsError
      ? { state: 'error' as const, errorCode: this.settingsError.code, message: this.settingsError.message, action: 'open-settings' as const }
      : chooseState({
          configured: Boolean(this.settings?.appleId && this.settings.syncFolder),
          signIn, schedule, signedOut: this.signedOut, lastSuccessAt: this.tracker.lastSuccessAt, vanished: this.vanished, archive,
        });
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    // A code is needed: Apple's trust has ended, whatever date the stored cookie still names.
    const trustEndsAt = signIn.status === 'needs-code' ? null : this.trustEndsAt;
    return appSnapshotSchema.parse({
      ...chosen,
      trustEndingSoon: trustEndsAt !== null && trustEndsAt - this.clock.now() < this.trustWarningMs(),
      appleId: this.settings?.appleId ?? null,
      syncFolder: this.syncFolder,
      signIn,
      progress: schedule.running ? this.progress : null,
      runningElsewhere: schedule.runningElsewhere,
      pause: schedule.pause ? { until: iso(schedule.pause.until) } : null,
      nextRunAt: schedule.pause || schedule.waitingForSignIn || schedule.running ? null : iso(schedule.nextRunAt),
      throttledUntil: iso(schedule.throttledUntil),
      lastSuccessAt: iso(this.tracker.lastSuccessAt),
      trustEndsAt: iso(trustEndsAt),
      counts: this.tracker.counts,
      lastRun: this.tracker.recentRuns[0] ?? null,
      recentRuns: this.tracker.recentRuns,
      attention: this.tracker.attention,
      vanished: chosen.errorCode === 'MASS_DELETION' ? this.vanished : null,
      recentArrivals: this.arrivals,
      archive,
      webPage: this.webPage,
    });
  }

  /** Re-reads config.json (the CLI may have changed it) and applies what changed. */
  reloadSettings(): Settings | null {
    const settings = this.readSettings();
    if (settings) this.scheduler.setIntervalMs(this.intervalMs());
    this.hub.snapshotChanged();
    return settings;
  }

  private readSettings(): Settings | null {
    try {
      this.loaded = loadSettings({
        flags: this.options.flags ?? {},
        env: this.options.env ?? process.env,
        defaultConfigPath: this.paths.configFile,
        ...(this.options.configPath ? { configPath: this.options.configPath } : {}),
      });
      this.settingsError = null;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.loaded = null;
      this.settingsError = error;
      this.logger.warn({ code: error.code }, error.message);
    }
    const settings = this.settings;
    if (settings) {
      const passwords = this.options.passwordSource ?? ((s: Settings) => configuredPasswordSource(s, this.options.env ?? process.env));
      this.passwords = passwords(settings);
    }
    return settings;
  }

  /**
   * Trust ending within this is a warning beside the state: `trustWarningDays`, as for the
   * notification. Without valid settings there is none (the state already says what to fix).
   */
  private trustWarningMs(): number {
    return this.settings ? this.settings.trustWarningDays * DAY_MS : 0;
  }

  /** The client for the configured Apple ID, reopened when the ID changed or to pick up a session stored elsewhere. */
  async openClient(): Promise<ICloudClient> {
    const settings = this.settings;
    if (!settings?.appleId) throw new UserError('CONFIG_INVALID', 'No Apple ID is set: enter it in Settings.');
    this.unwatchClient?.();
    this.client?.close();
    const client = await this.options.clientFactory.openClient({
      appleId: settings.appleId,
      sessionsDir: this.paths.sessionsDir,
      settings,
      passwordProvider: async () => (await this.passwords?.read()) ?? undefined,
      logger: this.logger.child({ scope: 'icloud' }),
      ...(this.options.signInSource ? { auditSource: this.options.signInSource } : {}),
    });
    this.client = client;
    this.signIn.observe(client.state);
    this.unwatchClient = client.onStateChange((state) => {
      this.signIn.observe(state);
      this.hub.snapshotChanged();
    });
    await this.refreshTrust();
    return client;
  }

  /** A session became usable (signed in here or by `icloud-photo-sync auth`): runs go on. */
  async sessionReady(): Promise<void> {
    this.signedOut = false;
    await this.refreshTrust();
    this.scheduler.signedIn();
  }

  /** The person signed out: the session and any remembered password are gone; no run until the next sign-in. */
  async signOut(): Promise<void> {
    await this.client?.signOut();
    await this.passwords?.forget?.();
    this.signedOut = true;
    this.trustEndsAt = null;
    this.scheduler.holdForSignIn();
  }

  /** API keys of optional features (notifications, archives), for every host the same store. */
  get secrets(): SecretsStore {
    return new SecretsStore(this.paths.root, this.options.env ?? process.env);
  }

  get passwordSource(): ApplePasswordSource | null {
    return this.passwords;
  }

  /** Remembers the MASS_DELETION count of the last stop (confirm-deletions must name it). */
  get vanishedCount(): number | null {
    return this.vanished;
  }

  /** One run of the engine; the scheduler decides when, and never runs two at once. */
  async runOnce(options: { confirmDeletions?: number }): Promise<RunResult> {
    try {
      return await this.runEngine(options);
    } catch (error) {
      // A stop before the engine could record a run (sign-in, network, the run lock held elsewhere).
      const code = errorCodeOf(error);
      this.notifier.runEnded({ code: code ?? null, reachedEnd: false });
      if (code) this.logger.info({ code }, `run stopped before it began: ${code}`);
      else this.logger.error({ err: error }, 'run failed unexpectedly; trying again at the next interval');
      throw error;
    }
  }

  private async runEngine(options: { confirmDeletions?: number }): Promise<RunResult> {
    const settings = this.reloadSettings();
    const folder = this.syncFolder;
    const databasePath = this.databasePath;
    if (!settings || !folder || !databasePath) return { code: 'CONFIG_INVALID', retryAfter: null };
    const client = this.client && this.client.appleId === settings.appleId ? this.client : await this.openClient();
    await client.ensureReady();
    this.progress = { phase: 'scanning', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0, etaSeconds: null };
    this.hub.snapshotChanged();
    let summary: SyncSummary;
    const source = this.options.clientFactory.openPhotos(client, this.logger.child({ scope: 'photos' }));
    try {
      summary = await runSync(
        { source, folder, databasePath },
        { ...toSyncOptions(settings), confirmDeletions: options.confirmDeletions, onEvent: (event) => this.onSyncEvent(event), signal: this.stopping.signal },
      );
      await this.fetchArrivalThumbnails(source);
    } finally {
      this.progress = null;
      // Idle keep-alive connections are not kept between runs hours apart.
      client.close();
      this.saveArrivals(settings.appleId);
    }
    this.vanished = summary.errorCode === 'MASS_DELETION' ? summary.vanished : null;
    this.refreshTracker();
    await this.refreshTrust();
    this.finishedRun = this.tracker.recentRuns.find((r) => r.id === summary.runId) ?? null;
    // Files that need attention do not make a failure: the run listed the whole library.
    this.notifier.runEnded({ code: summary.errorCode, reachedEnd: summary.outcome === 'success' || summary.outcome === 'partial' });
    this.logger.info({ outcome: summary.outcome, downloaded: summary.downloaded, code: summary.errorCode }, `run finished: ${summary.outcome}, ${summary.downloaded} downloaded`);
    if (settings.archiveEnabled && (summary.outcome === 'success' || summary.outcome === 'partial')) await this.archiveStage(settings, folder, databasePath);
    return { code: summary.errorCode, retryAfter: summary.retryAfter ? Date.parse(summary.retryAfter) : null };
  }

  /** A recent arrival's thumbnail from the cache in the data folder, or why there is none. */
  async thumbnail(assetId: string): Promise<ThumbnailReply> {
    const found = await this.thumbnails.read(assetId);
    return found ? { available: true, contentType: found.contentType, bytes: found.bytes } : { available: false, message: THUMBNAIL_NOT_AVAILABLE };
  }

  /** The run's new arrivals get their thumbnails while the run's links are fresh; failures only mean "none". */
  private async fetchArrivalThumbnails(source: PhotoSource): Promise<void> {
    const wanted = new Map([...this.previews].filter(([key]) => this.arrivals.some((a) => a.assetId === key && a.thumbnail === 'pending')));
    if (wanted.size === 0) return;
    const outcomes = await fetchThumbnails(source, wanted, this.thumbnails, this.logger.child({ scope: 'thumbnails' }), this.stopping.signal);
    this.arrivals = this.arrivals.map((arrival) => {
      const outcome = outcomes.get(arrival.assetId);
      return outcome && arrival.thumbnail === 'pending' ? { ...arrival, thumbnail: outcome } : arrival;
    });
    // An arrival the stop left without an outcome keeps its preview: the next run fetches it.
    for (const key of outcomes.keys()) this.previews.delete(key);
    const ready = [...outcomes.values()].filter((outcome) => outcome === 'ready').length;
    this.logger.info({ ready, wanted: wanted.size }, `thumbnails: ${ready} of ${wanted.size} ready`);
    this.hub.snapshotChanged();
  }

  /**
   * The off-site archive after a sync: its own progress and outcome in the snapshot. Whatever
   * happens to it (Azure unreachable, wrong credentials) is logged and shown there; the sync's
   * result stands.
   */
  private async archiveStage(settings: Settings, folder: string, databasePath: string): Promise<void> {
    this.archiveProgress = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
    this.hub.snapshotChanged();
    const log = this.logger.child({ scope: 'archive' });
    try {
      const summary = await runArchive(archiveInputOf(settings, folder, databasePath, this.secrets), {
        ...archiveOptionsOf(settings),
        dryRun: false,
        signal: this.stopping.signal,
        onEvent: (event) => this.onArchiveEvent(event),
      });
      if (summary.errorCode) log.warn({ code: summary.errorCode }, `archive stopped: ${summary.errorMessage ?? summary.errorCode}`);
      else log.info({ outcome: summary.outcome, uploaded: summary.uploaded, bytes: summary.bytes }, `archive finished: ${summary.outcome}, ${summary.uploaded} uploaded`);
    } catch (error) {
      // Stops before the archive could record a run (another archive holds its lock) or a bug.
      log.error({ err: error, code: errorCodeOf(error) }, 'archive did not run; it is tried again after the next sync');
    } finally {
      this.archiveProgress = undefined;
      this.refreshTracker();
    }
  }

  private onArchiveEvent(event: ArchiveEvent): void {
    if (event.type === 'planned') this.archiveProgress = { filesDone: 0, filesTotal: event.toUpload, bytesDone: 0, bytesTotal: event.toUploadBytes };
    else if (event.type === 'progress') this.archiveProgress = { filesDone: event.filesDone, filesTotal: event.filesTotal, bytesDone: event.bytesDone, bytesTotal: event.bytesTotal };
    else return;
    this.hub.snapshotChanged();
  }

  /** A dry run with the current settings: the plan and its counts; nothing on disk or in the tracker changes. */
  async previewRun(): Promise<SyncSummary> {
    const settings = this.reloadSettings();
    const folder = this.syncFolder;
    const databasePath = this.databasePath;
    if (!settings || !folder || !databasePath) throw new UserError('CONFIG_INVALID', 'Choose your Apple ID and a sync folder in Settings first.');
    const client = this.client ?? (await this.openClient());
    await client.ensureReady();
    const source = this.options.clientFactory.openPhotos(client, this.logger.child({ scope: 'photos' }));
    return runSync({ source, folder, databasePath }, { ...toSyncOptions(settings), dryRun: true });
  }

  /**
   * The host serving the local page (src-main/web/page-for-service.ts) reports it here, so a page
   * that could not start shows in every view, not only in the log. Syncing does not depend on it.
   */
  setWebPage(view: WebPageView): void {
    this.webPage = view;
    this.hub.snapshotChanged();
  }

  /** The sign-in flow changed something the client's state does not show (the tries left). */
  signInChanged(): void {
    this.hub.snapshotChanged();
  }

  /** Re-reads counts, runs and attention items from the tracker (after a run, a restore). */
  refreshTracker(): void {
    const path = this.databasePath;
    this.tracker = path ? readTrackerView(path) : EMPTY_TRACKER_VIEW;
    this.hub.snapshotChanged();
  }

  private async refreshTrust(): Promise<void> {
    this.trustEndsAt = (await this.client?.trustExpiresAt())?.getTime() ?? null;
  }

  private intervalMs(): number {
    return durationSeconds(this.settings?.interval ?? '6h') * 1000;
  }

  /** The recent arrivals of the last session, with what their pending thumbnails need (arrivals-store.ts). */
  private restoreArrivals(): void {
    const appleId = this.settings?.appleId;
    if (!appleId) return;
    const stored = this.arrivalsStore.read(appleId);
    this.arrivals = stored.arrivals;
    this.previews = stored.previews;
  }

  private saveArrivals(appleId: string | undefined): void {
    if (!appleId) return;
    try {
      this.arrivalsStore.write(appleId, this.arrivals, this.previews);
    } catch (error) {
      // Only the strip of recent pictures would be missing after a restart; the run's result stands.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'recent arrivals not saved');
    }
  }

  /** Only the recent arrivals' previews are kept: a first run of 100,000 files would otherwise hold them all. */
  private keepPreview(assetId: string, preview: ArrivalPreview): void {
    this.previews.set(assetId, preview);
    if (this.previews.size <= 2 * RECENT_ARRIVALS) return;
    const recent = new Set(this.arrivals.map((arrival) => arrival.assetId));
    for (const key of this.previews.keys()) if (!recent.has(key)) this.previews.delete(key);
  }

  private onSyncEvent(event: SyncEvent): void {
    const progress = this.progress;
    if (!progress) return;
    switch (event.type) {
      case 'phase':
        this.progress = { ...progress, phase: event.phase, filesTotal: event.counts ? event.counts.download + event.counts.adopt + event.counts.move : progress.filesTotal, bytesTotal: event.counts?.downloadBytes ?? progress.bytesTotal };
        this.hub.progressed(this.progress);
        break;
      case 'progress': {
        const left = Math.max(0, event.bytesTotal - event.bytesDone);
        const etaSeconds = event.bytesPerSecond > 0 ? Math.ceil(left / event.bytesPerSecond) : null;
        this.progress = { ...progress, filesDone: event.filesDone, filesTotal: event.filesTotal, bytesDone: event.bytesDone, bytesTotal: event.bytesTotal, bytesPerSecond: event.bytesPerSecond, etaSeconds };
        this.hub.progressed(this.progress);
        break;
      }
      case 'file':
        if (event.outcome !== 'downloaded') break;
        {
          const preview = event.preview;
          const arrival = {
            relPath: event.relPath, assetId: event.assetId, version: event.version, at: new Date(this.clock.now()).toISOString(),
            ...(preview ? { media: preview.mediaType, durationSeconds: preview.durationSeconds, thumbnail: 'pending' as const } : { thumbnail: 'none' as const }),
          };
          this.arrivals = [arrival, ...this.arrivals].slice(0, RECENT_ARRIVALS);
          if (preview) this.keepPreview(event.assetId, preview);
          this.hub.arrived(arrival);
        }
        break;
      case 'finished':
        break;
    }
  }
}
