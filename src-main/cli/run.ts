/**
 * Runs one command and turns its outcome into an exit code (see exit-codes.ts) and a plain message
 * on stderr; with --json the error is also printed on stdout as {"error":{code,exitCode,message}}.
 */
import './heap-sizing.js';
import { CommanderError, type Command } from 'commander';
import { errorCodeOf, UserError } from '../config/user-error.js';
import { userMessage } from '../../src-shared/errors.js';
import { createFileLogger } from '../log/logger.js';
import { TrackerError } from '../tracker/tracker-error.js';
import { redactValue, scrubText } from '../log/redact.js';
import { EXIT, ExitWith, exitCodeFor, type ExitCode } from './exit-codes.js';
import { errorLine } from './output.js';
import { createProgram } from './program.js';
import type { CliNetwork } from './network.js';
import { suggestCommand } from './suggest-command.js';

function userMessageOf(error: unknown): string {
  if (error && typeof error === 'object' && 'userMessage' in error && typeof error.userMessage === 'string') return error.userMessage;
  // A full disk from the file system or SQLite: their own wording is not for users.
  if (errorCodeOf(error) === 'DISK_FULL' && !(error instanceof UserError)) return userMessage('DISK_FULL');
  return error instanceof Error ? error.message : String(error);
}

/** `network` is for development entry points only (network.ts); the installed CLI passes none. */
export async function run(argv: string[], network: CliNetwork = {}): Promise<ExitCode> {
  const program = createProgram(network);
  // A record of how each command ended, in cli.log only (the console already shows it).
  const record = createFileLogger('cli');
  try {
    await program.parseAsync(argv);
    record.info({ exitCode: EXIT.OK }, 'command finished');
    return EXIT.OK;
  } catch (error) {
    if (error instanceof ExitWith) {
      record.info({ exitCode: error.exitCode }, 'command finished');
      return error.exitCode;
    }
    if (error instanceof CommanderError) {
      if (error.code === 'commander.unknownCommand') suggestClosestCommand(program, error.message);
      // Help and version "fail" with exit code 0; everything else is a usage mistake.
      return error.exitCode === 0 ? EXIT.OK : EXIT.CONFIG;
    }
    const code = errorCodeOf(error);
    const exitCode = exitCodeFor(code);
    const message = scrubText(userMessageOf(error));
    record.error({ err: redactValue(error), code, exitCode }, 'command failed');
    process.stderr.write(errorLine(message, code));
    // A damaged database was moved aside: say where, so the user can keep or delete it.
    if (error instanceof TrackerError && error.backupPath) process.stderr.write(`Backup: ${error.backupPath}\n`);
    if (exitCode === EXIT.UNEXPECTED && !code && error instanceof Error && error.stack) {
      process.stderr.write(`${scrubText(error.stack)}\n`);
    }
    if (program.opts<{ json?: boolean }>().json) {
      process.stdout.write(`${JSON.stringify({ error: { code: code ?? 'UNEXPECTED', exitCode, message } })}\n`);
    }
    return exitCode;
  }
}

function suggestClosestCommand(program: Command, message: string): void {
  const typed = /unknown command '([^']*)'/.exec(message)?.[1];
  const guess = typed ? suggestCommand(typed, program.commands.map((c) => c.name())) : null;
  if (guess) process.stderr.write(`Did you mean "${guess}"?\n`);
}
