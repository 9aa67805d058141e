/**
 * `npm run demo:app`: the sync service and the local web page against the Apple simulator, so a
 * person can click through the whole product in a browser with no Apple account. Builds the UI,
 * starts the simulator with a sample library, the real service on an empty temp data folder and
 * the real web server, then prints the link and the sign-in details the simulator accepts.
 * Ctrl+C stops everything and removes the temp folders (unless --keep).
 *
 * Options: --keep, --assets N (default 60).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iCloudClientFactory } from '../../src-main/app/client-factory.js';
import { serviceBridge } from '../../src-main/app/service-bridge.js';
import { SyncService } from '../../src-main/app/sync-service.js';
import { configureLogging } from '../../src-main/log/logger.js';
import { startWebServer } from '../../src-main/web/web-server.js';
import { simLookup } from '../sim/lookup.js';
import { startSimulator } from '../sim/server.js';
import { buildUi } from '../support/built-ui.js';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const assetsArg = args.indexOf('--assets');
const assets = assetsArg >= 0 ? Number(args[assetsArg + 1]) : 60;

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'icloud-photo-sync-app-demo-'));
  const dataDir = join(base, 'data');
  configureLogging({ logsDir: join(dataDir, 'logs'), fileName: 'app', level: 'info', console: { level: 'warn' } });
  process.stdout.write('Building the page…\n');
  const uiDir = await buildUi();
  const sim = await startSimulator({ mfa: 'device', assets });
  const service = new SyncService({
    dataDir,
    clientFactory: iCloudClientFactory({
      endpoints: { auth: sim.urls.auth, setup: sim.urls.setup, webOrigin: sim.urls.webOrigin },
      client: { dnsLookup: simLookup as unknown as LookupFunction },
    }),
    env: {},
  });
  await service.start();
  const web = await startWebServer({ bridge: serviceBridge(service, 'page'), uiDir });
  process.stdout.write(
    [
      '',
      'iCloud Photo Sync against the simulator (no Apple account, nothing leaves this machine).',
      `  Open:      ${web.link}`,
      `  Apple ID:  ${sim.account.appleId}`,
      `  Password:  ${sim.account.password}`,
      `  Code:      ${sim.code}   (the simulator's "trusted device" code)`,
      `  Folder:    ${join(base, 'Photos')}   (type it in the first run)`,
      '',
      'Ctrl+C stops.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await web.close();
  await service.stop();
  await sim.close();
  rmSync(uiDir, { recursive: true, force: true });
  if (keep) process.stdout.write(`Kept ${base}\n`);
  else rmSync(base, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
