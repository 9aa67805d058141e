/**
 * `auth`: sign in (password, then a two-factor code) and keep the session; `logout`: sign out and
 * delete the session files. On a terminal the code is asked for; otherwise each line of stdin is
 * one code attempt, so scripts can drive the sign-in.
 */
import { Option, type Command } from 'commander';
import { SignInFlow } from '../../app/sign-in-flow.js';
import { obtainPassword } from '../../config/password-source.js';
import { UserError } from '../../config/user-error.js';
import type { ICloudClient } from '../../icloud/client.js';
import type { CodeChannel, SignInState } from '../../icloud/auth/sign-in-state.js';
import { isICloudError } from '../../icloud/errors.js';
import { registerSecret } from '../../log/redact.js';
import { buildContext, type CliContext } from '../context.js';
import { openClient } from '../open-client.js';
import { formatRecord, formatTime } from '../output.js';
import { promptHidden, readLine, stdinIsTerminal } from '../terminal-input.js';

/** Apple's verification codes are 6 digits (protocol notes, section 2). */
const CODE_DIGITS = 6;
const CODE_FORMAT = new RegExp(`^\\d{${CODE_DIGITS}}$`);

interface AuthOptions {
  method?: 'device' | 'sms';
  phone?: string;
  force?: boolean;
}

export function registerAuthCommands(program: Command): void {
  program
    .command('auth')
    .description('sign in to iCloud (asks for the password and a two-factor code when needed)')
    .addOption(new Option('--method <where>', 'where Apple sends the code: your trusted devices (default) or an SMS').choices(['device', 'sms']))
    .option('--phone <id>', 'which trusted phone gets the SMS (the ids are listed when a code is needed)')
    .option('--force', 'sign in again even when the stored session still works')
    .action(async (options: AuthOptions, command: Command) => {
      const context = buildContext(command, 'auth');
      const client = await openClient(context, { interactive: true });
      let state = options.force ? client.state : await client.auth.resume();
      if (state.status !== 'ready') {
        const prompt = stdinIsTerminal() ? promptHidden : undefined;
        state = await client.signIn(await obtainPassword({ settings: context.settings, prompt }));
      } else {
        context.logger.info('the stored session still works: no sign-in needed (use --force to sign in again)');
      }
      if (state.status === 'needs-code') state = await enterCode(client, state, options);
      if (state.status !== 'ready') throw new UserError('AUTH_REQUIRED', `The sign-in ended in state "${state.status}".`);
      await printSignedIn(context, client);
    });

  program
    .command('logout')
    .description('sign out and delete the stored session (the next run needs the password and a code)')
    .action(async (_options: unknown, command: Command) => {
      const context = buildContext(command, 'logout');
      const client = await openClient(context, { interactive: false });
      const files = client.sessionFiles;
      try {
        await client.auth.resume();
      } catch (error) {
        context.logger.info({ err: error }, 'could not reach iCloud; deleting the local session only');
      }
      await client.signOut();
      context.print(formatRecord({ signedOut: client.appleId, deleted: `${files.session}, ${files.cookies}` }, context.format, { signedOut: 'Signed out', deleted: 'Deleted' }));
    });
}

function chooseChannel(state: SignInState, options: AuthOptions): CodeChannel {
  const phones = state.authOptions?.trustedPhones ?? [];
  const wantSms = options.method === 'sms' || options.phone !== undefined || (!state.authOptions?.hasTrustedDevices && phones.length > 0);
  if (!wantSms) return { channel: 'device' };
  const phone = options.phone === undefined ? phones[0] : phones.find((p) => String(p.id) === options.phone);
  if (!phone) {
    const known = phones.map((p) => `${p.id} (${p.number})`).join(', ') || 'none';
    throw new UserError('UNKNOWN_PHONE', `--phone ${options.phone ?? ''} is not one of them. Trusted phones: ${known}.`);
  }
  return { channel: 'sms', phoneId: phone.id };
}

async function enterCode(client: ICloudClient, initial: SignInState, options: AuthOptions): Promise<SignInState> {
  const channel = chooseChannel(initial, options);
  const state = await client.requestCode(channel);
  const phones = state.authOptions?.trustedPhones ?? [];
  const where = channel.channel === 'device' ? 'your trusted Apple devices' : `the phone ${phones.find((p) => p.id === channel.phoneId)?.number ?? ''}`;
  process.stderr.write(`Apple sent a verification code to ${where}.\n`);
  if (channel.channel === 'device' && phones.length) {
    process.stderr.write(`(To get it by SMS instead: --method sms --phone <id>; phones: ${phones.map((p) => `${p.id} ${p.number}`).join(', ')})\n`);
  }
  const terminal = stdinIsTerminal();
  // The tries left are counted as the app counts them, per sign-in: Apple's wrong-code answer has no count.
  const flow = new SignInFlow();
  flow.observe(state);
  for (;;) {
    const line = await readLine(terminal ? 'Verification code: ' : undefined);
    if (line === null) throw new UserError('CODE_REQUIRED', 'No code was given (stdin ended).');
    // People copy codes as "123 456": spaces do not count, but anything else must be 6 digits.
    const code = line.replace(/\s+/g, '');
    registerSecret(code);
    if (!CODE_FORMAT.test(code)) {
      process.stderr.write(`A verification code has ${CODE_DIGITS} digits${code ? ` (that was ${code.length} characters)` : ''}: enter the ${CODE_DIGITS} digits Apple sent.\n`);
      continue;
    }
    try {
      await flow.submitCode(client, code);
      return client.state;
    } catch (error) {
      if (!isICloudError(error, 'WRONG_CODE')) throw error;
      process.stderr.write(`${error.userMessage}\n`);
    }
  }
}

async function printSignedIn(context: CliContext, client: ICloudClient): Promise<void> {
  const trustEnds = await client.trustExpiresAt();
  context.print(
    formatRecord(
      { appleId: client.appleId, status: 'signed in', trustExpiresAt: formatTime(trustEnds?.getTime()), sessionFile: client.sessionFiles.session },
      context.format,
      { appleId: 'Apple ID', status: 'Status', trustExpiresAt: 'Trusted until', sessionFile: 'Session stored in' },
    ),
  );
}
