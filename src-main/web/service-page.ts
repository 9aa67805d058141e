/**
 * The local page as every host of a sync service serves it, the daemon and the tray app alike: one
 * PageHost with one policy.
 * - **Always on** when the person asked for it (`daemon --web`, the tray app's "Keep the local web
 *   page on").
 * - **For a code**: it starts by itself when a sign-in waits for a code, and that reason ends once
 *   the sign-in no longer waits (the page stops if nothing else wants it).
 * - **For a notification**: while an episode whose phone messages link to the page is open.
 * Address, ports and public URL are read from the service's settings each time the page starts, so
 * a port range saved in Settings is used by the next start.
 */
import { settingsSchema, type Settings } from '../config/settings.js';
import type { SyncService } from '../app/sync-service.js';
import { PageHost, pageWhenCodeNeeded, type PageOptions } from './page-for-service.js';

export type ServicePageOptions = Pick<PageOptions, 'dataDir' | 'logger' | 'show' | 'uiDir'>;

type PageSettings = Pick<Settings, 'webAddress' | 'webPorts' | 'publicUrl'>;

export class ServicePage {
  private host: PageHost | null = null;
  private stopWatching: (() => void) | null = null;

  /**
   * For the service's `notify.page`: the service is built before its page, so this answers null
   * until `attach` (no notification is sent before the service starts anyway).
   */
  readonly forNotifications = (needed: boolean): string | null | Promise<string | null> => this.host?.want('notify', needed) ?? null;

  /** Follows the service from now on: the page starts for a code or a notification. Call before `service.start()`. */
  attach(service: SyncService, options: ServicePageOptions): void {
    const settings = (): PageSettings => service.settings ?? defaultPageSettings();
    this.host = new PageHost({ ...options, service, settings });
    this.stopWatching = pageWhenCodeNeeded(this.host, { service, logger: options.logger });
  }

  /** Keeps the page on (or lets it stop unless a code or a notification still needs it); resolves with its base URL. */
  async setAlwaysOn(on: boolean): Promise<string | null> {
    return (await this.host?.want('web', on)) ?? null;
  }

  /** Closes the page for good (its link file goes with it): the host is quitting. */
  async stop(): Promise<void> {
    this.stopWatching?.();
    this.stopWatching = null;
    await this.host?.stop();
  }
}

/** A config file the service could not read still leaves the page its defaults (127.0.0.1, 47620-47639). */
function defaultPageSettings(): PageSettings {
  return settingsSchema.parse({});
}
