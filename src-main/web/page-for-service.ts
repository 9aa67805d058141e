/**
 * The local web page in front of a running sync service, as `daemon --web` starts it: address and
 * ports from the settings, the link (a secret) printed on an interactive terminal and written to a
 * 0600 file in the data folder, never logged. Whether the page is starting, serving or failed goes
 * into the service's snapshot (without the token), so every view can say so; syncing goes on.
 */
import type { Logger } from '../icloud/logger.js';
import { portRange, type Settings } from '../config/settings.js';
import { UserError } from '../config/user-error.js';
import { serviceBridge } from '../app/service-bridge.js';
import type { SyncService } from '../app/sync-service.js';
import { removeLinkFile, writeLinkFile } from './link-file.js';
import { builtUiFolder } from './ui-folder.js';
import { startWebServer, WebServerError } from './web-server.js';

type PageSettings = Pick<Settings, 'webAddress' | 'webPorts' | 'publicUrl'>;

export interface PageOptions {
  service: SyncService;
  /** Read each time the page starts; a function when they can change meanwhile (saved in Settings). */
  settings: PageSettings | (() => PageSettings);
  dataDir: string;
  logger: Logger;
  /** Where the link is shown to a person (an interactive terminal), or null. */
  show: ((line: string) => void) | null;
  uiDir?: string;
}

interface OpenPage {
  /** The base URL without the token and without a trailing slash (safe to log and to put in a link). */
  url: string;
  close(): Promise<void>;
}

/** Starts the page; resolves with it, or null when it could not start. */
async function openPage(options: PageOptions): Promise<OpenPage | null> {
  const settings = typeof options.settings === 'function' ? options.settings() : options.settings;
  const [first, last] = portRange(settings.webPorts);
  options.service.setWebPage({ status: 'starting', url: null, message: null });
  try {
    const web = await startWebServer({
      bridge: serviceBridge(options.service, 'page'),
      uiDir: options.uiDir ?? builtUiFolder(),
      address: settings.webAddress,
      ports: { first, last },
      logger: options.logger,
      // A notification's link opens a session once (src-main/notify/link-tokens.ts).
      notificationLinks: (token) => options.service.notifier.links.verifyAndConsume(token),
      publicUrl: settings.publicUrl ?? null,
    });
    const file = writeLinkFile(options.dataDir, web.link);
    options.logger.info({ event: 'web-link-written', file }, `the page's link (with its token) is in ${file}`);
    options.show?.(`Open the iCloud Photo Sync page: ${web.link}\n`);
    options.service.setWebPage({ status: 'serving', url: web.url, message: null });
    return {
      url: web.url.replace(/\/+$/, ''),
      close: async () => {
        removeLinkFile(options.dataDir);
        await web.close();
      },
    };
  } catch (error) {
    if (!(error instanceof WebServerError) && !(error instanceof UserError)) throw error;
    options.logger.error({ event: 'web-not-started' }, `${error.message} Syncing goes on.`);
    options.service.setWebPage({ status: 'failed', url: null, message: error.message });
    return null;
  }
}

/**
 * Why the page is served: `daemon --web` (always), a sign-in waiting for a code, or an open
 * notification episode whose messages link to the page.
 */
export type PageReason = 'web' | 'code' | 'notify';

/**
 * One page for all reasons: it starts when the first reason appears and stops when the last one
 * goes, so a code prompt and a notification's link lead to the same page (and the same link file).
 */
export class PageHost {
  private readonly reasons = new Set<PageReason>();
  private page: Promise<OpenPage | null> | null = null;
  private url: string | null = null;
  private closing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: PageOptions) {}

  /**
   * Records whether `reason` holds and starts or stops the page to match. Returns the page's base
   * URL (no token) while it runs, a promise of it while it starts (null if it could not), and
   * null once no reason is left.
   */
  want(reason: PageReason, on: boolean): string | null | Promise<string | null> {
    if (this.stopped) return null;
    if (on) this.reasons.add(reason);
    else this.reasons.delete(reason);
    if (this.reasons.size === 0) {
      if (this.page) void this.close();
      return null;
    }
    if (this.url) return this.url;
    if (!this.page) {
      // A page still closing keeps its port and link file until it is gone.
      const opening: Promise<OpenPage | null> = this.closing.then(() => openPage(this.options)).then((page) => {
        // A page closed while it was starting (its reason went at once) must not leave its URL behind.
        if (this.page === opening) this.url = page?.url ?? null;
        return page;
      });
      this.page = opening;
    }
    const current = this.page;
    return current.then((page) => (this.page === current ? (page?.url ?? null) : null));
  }

  /** Stops the page for good, whatever the reasons (the daemon is stopping). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.close();
  }

  private async close(): Promise<void> {
    const page = this.page;
    this.page = null;
    this.url = null;
    this.closing = this.closing.then(async () => {
      await (await page)?.close();
      // A new reason may have started the page again meanwhile; that page reports for itself.
      if (!this.page) this.options.service.setWebPage({ status: 'off', url: null, message: null });
    });
    await this.closing;
  }
}

/** How long the page started for a code stays after the code was accepted (it shows the result). */
const STOP_GRACE_MS = 5_000;

/**
 * The page starts by itself when the service needs a code (so a person can type it in a browser)
 * and that reason ends once the sign-in is done or given up. Returns a function that stops watching.
 */
export function pageWhenCodeNeeded(host: PageHost, options: Pick<PageOptions, 'service' | 'logger'>, graceMs = STOP_GRACE_MS): () => void {
  let wanted = false;
  let leaving: NodeJS.Timeout | null = null;
  const unsubscribe = options.service.onEvent((event) => {
    if (event.type !== 'snapshot') return;
    const needsCode = event.snapshot.signIn.status === 'needs-code';
    if (needsCode && !wanted) {
      wanted = true;
      options.logger.info({ event: 'web-started-for-code' }, 'a verification code is needed: the local page starts so you can type it in a browser');
      void host.want('code', true);
    } else if (!needsCode && wanted && !leaving) {
      leaving = setTimeout(() => {
        leaving = null;
        if (options.service.snapshot().signIn.status === 'needs-code') return;
        options.logger.info({ event: 'web-stopped-after-code' }, 'the sign-in no longer waits for a code: the page is no longer needed for it');
        wanted = false;
        void host.want('code', false);
      }, graceMs);
    }
  });
  return () => {
    unsubscribe();
    if (leaving) clearTimeout(leaving);
  };
}
