/**
 * Chooses the one state a view shows, "worst wins": needs-you > error > offline > paused > syncing
 * > up-to-date > not-set-up, with the plain sentence and the action it calls for.
 */
import type { ErrorCode } from '../../src-shared/errors.js';
import { archivingLine } from '../../src-shared/archive-activity.js';
import type { AppState, ArchiveView, SignInView } from '../../src-shared/snapshot.js';
import { actionOf, messageFor, type UserAction } from '../../src-shared/user-actions.js';
import { NEEDS_SIGN_IN, type ScheduleState } from './scheduler.js';

/** Stops that pass by themselves: iCloud or the network, not the person's setup. */
const OFFLINE = new Set<ErrorCode>(['NETWORK', 'APPLE_SERVER_ERROR', 'THROTTLED']);

export interface StateInputs {
  configured: boolean;
  signIn: SignInView;
  schedule: ScheduleState;
  /** The person signed out on purpose: waiting for a sign-in is then not an alarm. */
  signedOut: boolean;
  lastSuccessAt: number | null;
  /** For MASS_DELETION: how many files vanished. */
  vanished: number | null;
  /** The archive stage (after the sync, in the same run): while it runs, the message says so. */
  archive?: ArchiveView;
}

export interface ChosenState {
  state: AppState;
  errorCode: ErrorCode | null;
  message: string;
  action: UserAction | null;
}

export function chooseState(inputs: StateInputs): ChosenState {
  const { schedule, signIn } = inputs;
  const last = schedule.lastResult?.code ?? null;
  // A sign-in since the last run answered its sign-in stop: it no longer counts.
  const code = last && NEEDS_SIGN_IN.has(last) && !schedule.waitingForSignIn ? null : last;
  if (!inputs.configured) {
    return { state: 'not-set-up', errorCode: null, message: 'Not set up yet: choose your Apple ID and a folder in Settings.', action: 'open-settings' };
  }
  if (signIn.status === 'needs-code') return stop('needs-you', 'CODE_REQUIRED');
  if (inputs.signedOut && signIn.status !== 'ready') {
    return { state: 'not-set-up', errorCode: null, message: 'Signed out. Sign in to sync again.', action: 'sign-in' };
  }
  if (schedule.waitingForSignIn) {
    // The latest sign-in attempt says most (a wrong password, Apple's code lockout), else the run's stop.
    const latest = signIn.status === 'failed' ? signIn.errorCode : null;
    return stop('needs-you', latest ?? (last && NEEDS_SIGN_IN.has(last) ? last : 'AUTH_REQUIRED'));
  }
  // A run stopped on request (Quit, Ctrl-C) is no error: the next run carries on.
  if (code && code !== 'ALREADY_RUNNING' && code !== 'INTERRUPTED') {
    if (!OFFLINE.has(code)) {
      const chosen = stop('error', code);
      if (code === 'MASS_DELETION' && inputs.vanished !== null) chosen.message = `${inputs.vanished} files: ${chosen.message}`;
      return chosen;
    }
    return stop('offline', code);
  }
  if (schedule.pause) {
    const message = schedule.pause.until === null ? 'Syncing is paused until you resume it.' : 'Syncing is paused for now; it resumes by itself.';
    return { state: 'paused', errorCode: null, message, action: null };
  }
  if (schedule.runningElsewhere) {
    return { state: 'syncing', errorCode: null, message: 'A sync started from the command line is running; this app waits for it to finish.', action: null };
  }
  if (schedule.running) {
    const archiving = inputs.archive ? archivingLine(inputs.archive) : null;
    return { state: 'syncing', errorCode: null, message: archiving ?? 'Syncing your photos…', action: null };
  }
  if (inputs.lastSuccessAt === null) return { state: 'syncing', errorCode: null, message: 'The first sync starts in a moment.', action: null };
  return { state: 'up-to-date', errorCode: null, message: 'Your photos are up to date.', action: null };
}

function stop(state: AppState, code: ErrorCode): ChosenState {
  return { state, errorCode: code, message: messageFor(code, 'app'), action: actionOf(code) };
}
