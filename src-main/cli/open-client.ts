/** Opens the iCloud client for the configured account, with the CLI's endpoints, logger and password source. */
import { obtainPassword } from '../config/password-source.js';
import type { ICloudClient } from '../icloud/client.js';
import type { CliContext } from './context.js';
import { requireAppleId } from './context.js';
import { promptHidden, stdinIsTerminal } from './terminal-input.js';

export interface OpenClientOptions {
  /** May the password be asked for on the terminal? (Not in the daemon.) */
  interactive: boolean;
}

export async function openClient(context: CliContext, options: OpenClientOptions): Promise<ICloudClient> {
  const appleId = requireAppleId(context);
  // Loaded on first use: the HTTP stack (got, tough-cookie) is most of a start-up, and --help,
  // setup or deleted never need it.
  const { ICloudClient } = await import('../icloud/client.js');
  const { settings, network } = context;
  const prompt = options.interactive && stdinIsTerminal() ? promptHidden : undefined;
  return ICloudClient.open({
    appleId,
    sessionFolder: context.paths.sessionsDir,
    endpoints: {
      region: settings.region,
      ...network.endpoints,
      ...(settings.authHost ? { auth: settings.authHost } : {}),
    },
    passwordProvider: () => obtainPassword({ settings, prompt }),
    logger: context.logger.child({ scope: 'icloud' }),
    auditSource: 'cli',
    ...(network.dnsLookup ? { dnsLookup: network.dnsLookup } : {}),
  });
}
