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
  settings: Pick<Settings, 'webAddress' | 'webPorts'>;
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
