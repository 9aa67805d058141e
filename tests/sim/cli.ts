import { Command, InvalidArgumentError } from 'commander';
import { startSimulator } from './server.js';
import { parseConditionSpec, parseFaultSpec, type MfaMode } from './options.js';

/**
 * `npm run sim -- --port 0 --assets 500 --seed 1 --mfa device --faults errorRate=0.1,resetRate=0.05`
 * First stdout line: one JSON object with the endpoints and the fake account's credentials (a demo
 * convenience: these accounts are fake; the app itself never prints such values). Then one JSON
 * line per "sent" code. Diagnostics go to stderr.
 */
function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

const program = new Command('sim')
  .description('Local simulator of the iCloud endpoints an iCloud Photos downloader uses')
  .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', integer, 0)
  .option('--assets <n>', 'assets in the generated library', integer, 500)
  .option('--shared-assets <n>', 'assets in the shared-library zone', integer, 0)
  .option('--seed <n>', 'seed for everything generated', integer, 1)
  .option('--mfa <mode>', 'two-factor mode: device, sms or none', 'device')
  .option('--faults <spec>', 'e.g. errorRate=0.1,resetRate=0.05,slowMs=20', '')
  .option('--conditions <spec>', 'account conditions, e.g. adp,repair=signin,rateLimited=30', '')
  .option('--log <path>', 'append a JSONL request log to this file')
  .option('--trust-days <n>', 'days a trust token lasts', integer, 30);

program.parse();
const opts = program.opts<{
  port: number; assets: number; sharedAssets: number; seed: number; mfa: string; faults: string; conditions: string; log?: string; trustDays: number;
}>();

if (!['device', 'sms', 'none'].includes(opts.mfa)) program.error('--mfa must be device, sms or none');
let faults;
let conditions;
try {
  faults = parseFaultSpec(opts.faults);
  conditions = parseConditionSpec(opts.conditions);
} catch (err) {
  program.error((err as Error).message);
}

const sim = await startSimulator({
  port: opts.port,
  seed: opts.seed,
  assets: opts.assets,
  sharedAssets: opts.sharedAssets,
  mfa: opts.mfa as MfaMode,
  faults,
  conditions,
  logPath: opts.log,
  trustTtlMs: opts.trustDays * 24 * 60 * 60 * 1000,
  onCodeDelivered: (d) => process.stdout.write(`${JSON.stringify({ event: 'code-sent', channel: d.channel, phoneId: d.phoneId, code: sim.code })}\n`),
});

process.stdout.write(
  `${JSON.stringify({
    auth: sim.urls.auth,
    setup: sim.urls.setup,
    webOrigin: sim.urls.webOrigin,
    hosts: sim.hosts,
    appleId: sim.account.appleId,
    password: sim.account.password,
    code: sim.code,
    port: sim.port,
  })}\n`,
);
process.stderr.write(
  `simulator listening on 127.0.0.1:${sim.port}. Its *.test host names need the client's test DNS hook ` +
    `(simLookup) or /etc/hosts entries pointing them at 127.0.0.1: ${Object.values(sim.hosts).join(' ')}\n`,
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`simulator stopping (${signal})\n`);
  await sim.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
