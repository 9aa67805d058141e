/**
 * How the service reaches iCloud: the host passes a factory. Production uses Apple's hosts for the
 * configured region; tests and the demo pass the simulator's URLs and lookup here, in code, never
 * through environment variables.
 */
import type { Settings } from '../config/settings.js';
import type { SignInSource } from '../icloud/auth/sign-in-audit.js';
import { ICloudClient, type ICloudClientOptions, type PasswordProvider } from '../icloud/client.js';
import type { EndpointOptions } from '../icloud/endpoints.js';
import type { Logger } from '../icloud/logger.js';
import { createPhotoLibrary } from '../icloud/photos/photo-library.js';
import type { DownloadSettings } from '../icloud/photos/download/download-settings.js';
import type { PhotoSource } from '../icloud/photos/photo-source.js';

export interface OpenClientInput {
  appleId: string;
  sessionsDir: string;
  settings: Settings;
  passwordProvider: PasswordProvider;
  logger: Logger;
  /** The host, for the sign-in audit trail of the steps the client takes by itself. */
  auditSource?: SignInSource;
}

export interface ClientFactory {
  openClient(input: OpenClientInput): Promise<ICloudClient>;
  /** A fresh view of the Photos library for one run, over the client's signed-in transport. */
  openPhotos(client: ICloudClient, logger: Logger): PhotoSource;
}

export interface ClientTuning {
  /** Base URLs per host (the simulator's); the settings' region and authHost apply otherwise. */
  endpoints?: Omit<EndpointOptions, 'region'>;
  /** Client options beyond the account (DNS lookup, retry policies, timeouts). */
  client?: Partial<Omit<ICloudClientOptions, 'appleId' | 'sessionFolder' | 'endpoints' | 'passwordProvider' | 'logger'>>;
  download?: DownloadSettings;
}

/** The real iCloud client and Photos library; `tuning` only points them elsewhere or changes waits. */
export function iCloudClientFactory(tuning: ClientTuning = {}): ClientFactory {
  return {
    openClient: ({ appleId, sessionsDir, settings, passwordProvider, logger, auditSource }) =>
      ICloudClient.open({
        ...tuning.client,
        appleId,
        sessionFolder: sessionsDir,
        endpoints: { region: settings.region, ...tuning.endpoints, ...(settings.authHost ? { auth: settings.authHost } : {}) },
        passwordProvider,
        logger,
        ...(auditSource ? { auditSource } : {}),
      }),
    openPhotos: (client, logger) =>
      createPhotoLibrary({ transport: client.transport, logger, download: { ...(tuning.client?.dnsLookup ? { dnsLookup: tuning.client.dnsLookup } : {}), ...tuning.download } }),
  };
}
