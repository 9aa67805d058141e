/**
 * The audit trail of sign-in events in the structured log: a code needed, sent, submitted,
 * accepted or refused, a sign-in that failed. Only states, command types and catalogue codes are
 * logged, never a code, password or token.
 */
import type { AppBridge, CommandReply, SignInView } from '../../src-shared/contract.js';
import type { Logger } from '../icloud/logger.js';

const SIGN_IN_COMMANDS = new Set(['sign-in', 'request-code', 'submit-code']);

/** Logs each change of the sign-in's status; `onNewSignIn` runs whenever a sign-in starts or ends. */
export function auditSignInState(bridge: AppBridge, log: Logger, onNewSignIn: () => void): () => void {
  let last: SignInView['status'] | null = null;
  return bridge.onSnapshot((snapshot) => {
    const { status, errorCode, codeSentTo } = snapshot.signIn;
    if (status === last) return;
    last = status;
    if (status !== 'needs-code') onNewSignIn();
    if (status === 'needs-code') log.info({ event: 'sign-in', status, codeSentTo }, 'a verification code is needed');
    else if (status === 'failed') log.warn({ event: 'sign-in', status, code: errorCode }, `the sign-in failed (${errorCode ?? 'no code'})`);
    else log.info({ event: 'sign-in', status }, `sign-in: ${status}`);
  });
}

/** Logs a sign-in command sent from the page and how the service answered it. */
export function auditSignInCommand(log: Logger, type: string, reply: CommandReply<never>): void {
  if (!SIGN_IN_COMMANDS.has(type)) return;
  const what = { 'sign-in': 'password sign-in', 'request-code': 'code request', 'submit-code': 'verification code' }[type];
  if (reply.ok) log.info({ event: 'sign-in-command', command: type, outcome: 'accepted' }, `${what} from the page: accepted`);
  else log.warn({ event: 'sign-in-command', command: type, outcome: 'refused', code: reply.error.code }, `${what} from the page: refused (${reply.error.code})`);
}
