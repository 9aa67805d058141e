/**
 * The local web page in front of a running sync service, as `daemon --web` starts it: address and
 * ports from the settings, the link (a secret) printed on an interactive terminal and written to a
 * 0600 file in the data folder, never logged. A page that cannot start is logged; syncing goes on.
 */
import type { Logger } from '../icloud/logger.js';
import { portRange, type Settings } from '../config/settings.js';
import { UserError } from '../config/user-error.js';
import { serviceBridge } from '../app/service-bridge.js';
import type { SyncService } from '../app/sync-service.js';
import { removeLinkFile, writeLinkFile } from './link-file.js';
import { builtUiFolder } from './ui-folder.js';
import { startWebServer, WebServerError } from './web-server.js';

export interface PageOptions {
  service: SyncService;
  settings: Pick<Settings, 'webAddress' | 'webPorts' | 'publicUrl'>;
  dataDir: string;
  logger: Logger;
  /** Where the link is shown to a person (an interactive terminal), or null. */
  show: ((line: string) => void) | null;
  uiDir?: string;
}

/** Starts the page; resolves with its stop function, or null when it could not start. */
export async function startPageForService(options: PageOptions): Promise<(() => Promise<void>) | null> {
  const [first, last] = portRange(options.settings.webPorts);
  try {
    const web = await startWebServer({
      bridge: serviceBridge(options.service),
      uiDir: options.uiDir ?? builtUiFolder(),
      address: options.settings.webAddress,
      ports: { first, last },
      logger: options.logger,
      // A notification's link opens a session once (src-main/notify/link-tokens.ts).
      notificationLinks: (token) => options.service.notifier.links.verifyAndConsume(token),
      publicUrl: options.settings.publicUrl ?? null,
    });
    const file = writeLinkFile(options.dataDir, web.link);
    options.logger.info({ event: 'web-link-written', file }, `the page's link (with its token) is in ${file}`);
    options.show?.(`Open the iCloud Photo Sync page: ${web.link}\n`);
    return async () => {
      removeLinkFile(options.dataDir);
      await web.close();
    };
  } catch (error) {
    if (!(error instanceof WebServerError) && !(error instanceof UserError)) throw error;
    options.logger.error({ event: 'web-not-started' }, `the local web page did not start: ${error.message} Syncing goes on.`);
    return null;
  }
}

/** How long the page started for a code stays after the code was accepted (it shows the result). */
const STOP_GRACE_MS = 5_000;

/**
 * Without --web: the page starts by itself when the service needs a code (so a person can type it
 * in a browser) and stops once the sign-in is done or given up. Returns a function that stops
 * watching (and the page, if it runs).
 */
export function pageWhenCodeNeeded(options: PageOptions, graceMs = STOP_GRACE_MS): () => Promise<void> {
  let stopPage: Promise<(() => Promise<void>) | null> | null = null;
  let leaving: NodeJS.Timeout | null = null;
  const stop = async () => {
    const running = stopPage;
    stopPage = null;
    await (await running)?.();
  };
  const unsubscribe = options.service.onEvent((event) => {
    if (event.type !== 'snapshot') return;
    const needsCode = event.snapshot.signIn.status === 'needs-code';
    if (needsCode && !stopPage) {
      options.logger.info({ event: 'web-started-for-code' }, 'a verification code is needed: the local page starts so you can type it in a browser');
      stopPage = startPageForService(options);
    } else if (!needsCode && stopPage && !leaving) {
      leaving = setTimeout(() => {
        leaving = null;
        if (options.service.snapshot().signIn.status === 'needs-code') return;
        options.logger.info({ event: 'web-stopped-after-code' }, 'the sign-in no longer waits for a code: the local page stops');
        void stop();
      }, graceMs);
    }
  });
  return async () => {
    unsubscribe();
    if (leaving) clearTimeout(leaving);
    await stop();
  };
}
