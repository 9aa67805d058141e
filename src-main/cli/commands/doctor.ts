/** `doctor`: checks configuration, folder permissions, the session and connectivity, and explains problems. */
import type { Command } from 'commander';
import { UserError } from '../../config/user-error.js';
import { buildContext, outputFormatOf, type CliContext, type GlobalOptions } from '../context.js';
import type { CheckResult } from '../doctor-checks.js';
import { ExitWith, exitCodeFor } from '../exit-codes.js';
import { openClient } from '../open-client.js';
import { formatLabelled, formatTable } from '../output.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check configuration, folder permissions, session, connectivity and the Azure archive, and explain what is wrong')
    .option('--offline', 'skip the checks that contact iCloud or Azure')
    .action(async (options: { offline?: boolean }, command: Command) => {
      const format = outputFormatOf(command.optsWithGlobals<GlobalOptions>());
      let context: CliContext;
      try {
        context = buildContext(command, 'doctor');
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        report(format, [{ check: 'configuration', status: 'fail', detail: error.message, code: error.code }]);
        throw new ExitWith(exitCodeFor(error.code));
      }
      // Loaded on first use: the checks read the tracker (SQLite), which --help never needs.
      const { checkConnectivity, checkDataFolder, checkPasswordSource, checkSession, checkSyncFolder, checkTracker } = await import('../doctor-checks.js');
      const results: CheckResult[] = [{ check: 'configuration', status: 'ok', detail: context.loaded.configFile ?? 'no config file (flags and environment only)' }];
      results.push(...checkDataFolder(context), checkPasswordSource(context), checkSyncFolder(context));
      if (!context.settings.appleId) {
        results.push({ check: 'apple id', status: 'fail', detail: 'not set: run icloud-photo-sync setup --apple-id you@example.com', code: 'NOT_SET_UP' });
      } else {
        results.push({ check: 'apple id', status: 'ok', detail: context.settings.appleId }, checkTracker(context));
        const client = await openClient(context, { interactive: false });
        // Which hosts `region` and `authHost` lead to, so a China account can see its choice.
        results.push({ check: 'icloud hosts', status: 'ok', detail: `sign-in ${client.endpoints.auth}, setup ${client.endpoints.setup}` });
        if (!options.offline) {
          const reachable = await checkConnectivity(client, context);
          results.push(...reachable);
          if (reachable.every((r) => r.status !== 'fail')) results.push(...(await checkSession(client)));
        }
      }
      const { checkArchive } = await import('../doctor-archive.js');
      results.push(...(await checkArchive(context, { offline: Boolean(options.offline) })));
      report(context.format, results);
      const firstFailure = results.find((r) => r.status === 'fail');
      if (firstFailure) throw new ExitWith(exitCodeFor(firstFailure.code));
      if (results.some((r) => r.status === 'warn')) context.logger.info('doctor: no failures, some warnings (see above)');
    });
}

function report(format: ReturnType<typeof outputFormatOf>, results: CheckResult[]): void {
  if (format === 'human') {
    // One check per entry, its advice wrapped: a table with whole paths and advice cannot fit 80 columns.
    const items = results.map((r) => ({ label: `${r.status.padEnd(4)}  ${r.check}`, text: `${r.detail}${r.code ? ` [${r.code}]` : ''}` }));
    process.stdout.write(formatLabelled(items));
    return;
  }
  const rows = results.map((r) => ({ check: r.check, status: r.status, detail: r.detail, code: r.code ?? null }));
  const columns = [
    { key: 'check', title: 'Check' },
    { key: 'status', title: 'Status' },
    { key: 'detail', title: 'Details' },
    { key: 'code', title: 'Code' },
  ];
  process.stdout.write(formatTable({ columns, rows }, format));
}
