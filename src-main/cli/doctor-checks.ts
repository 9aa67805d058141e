/** The individual checks of `doctor`: each says what it found and, when something is wrong, what to do. */
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { ErrorCode } from '../../src-shared/errors.js';
import { IS_WINDOWS } from '../config/paths.js';
import { effectivePasswordSource, readPasswordFile } from '../config/password-source.js';
import { errorCodeOf } from '../config/user-error.js';
import type { ICloudClient } from '../icloud/client.js';
import { hasFolderMarker } from '../sync/folder-marker.js';
import { readSyncStatus } from '../sync/sync-queries.js';
import type { CliContext } from './context.js';
import { trackerPathOf } from './open-tracker.js';
import { daysUntil, formatTime } from './output.js';

export interface CheckResult {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  code?: ErrorCode;
}

const ok = (check: string, detail: string): CheckResult => ({ check, status: 'ok', detail });
const warn = (check: string, detail: string): CheckResult => ({ check, status: 'warn', detail });
const fail = (check: string, detail: string, code: ErrorCode): CheckResult => ({ check, status: 'fail', detail, code });

export function checkDataFolder(context: CliContext): CheckResult[] {
  const { root, sessionsDir } = context.paths;
  if (IS_WINDOWS) return [ok('data folder', `${root} (Windows: protected by your profile's permissions)`)];
  const results: CheckResult[] = [];
  const mode = statSync(root).mode & 0o777;
  results.push(mode & 0o077 ? warn('data folder', `${root} has mode ${mode.toString(8)}; run: chmod 700 ${root}`) : ok('data folder', `${root} (private)`));
  const exposed = readdirSync(sessionsDir).filter((name) => statSync(join(sessionsDir, name)).mode & 0o077);
  results.push(
    exposed.length
      ? fail('session files', `readable by others: ${exposed.join(', ')}; run: chmod 600 ${sessionsDir}/*`, 'CONFIG_INVALID')
      : ok('session files', 'readable only by you'),
  );
  return results;
}

export function checkPasswordSource(context: CliContext): CheckResult {
  const source = effectivePasswordSource({ settings: context.settings, prompt: process.stdin.isTTY ? async () => '' : undefined });
  if (source === 'file') {
    try {
      readPasswordFile(context.settings.passwordFile ?? '');
      return ok('password source', `file ${context.settings.passwordFile} (private)`);
    } catch (error) {
      return fail('password source', (error as Error).message, errorCodeOf(error) ?? 'CONFIG_INVALID');
    }
  }
  if (source === 'none') return warn('password source', 'none for unattended runs: when the session ends, run "icloud-photo-sync auth" (or set a password file)');
  return ok('password source', source === 'env' ? 'ICLOUD_PHOTO_SYNC_PASSWORD' : 'asked on the terminal');
}

export function checkSyncFolder(context: CliContext): CheckResult {
  const folder = context.settings.syncFolder;
  if (!folder) return fail('sync folder', 'not set: run icloud-photo-sync setup --sync-folder <folder>', 'NOT_SET_UP');
  // An unplugged drive often leaves its empty mount point: ask about the drive before offering setup.
  const newFolderOnly = 'run "icloud-photo-sync setup" only to start a new sync folder there (everything is downloaded into it)';
  if (!existsSync(folder)) return fail('sync folder', `${folder} does not exist: is the drive plugged in and mounted? Otherwise ${newFolderOnly}`, 'FOLDER_MISSING');
  if (!hasFolderMarker(folder)) {
    return fail('sync folder', `${folder} has no marker file: is this the right folder, and is its drive plugged in and mounted? Otherwise ${newFolderOnly}`, 'FOLDER_MISSING');
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return fail('sync folder', `${folder} is not writable by you`, 'FOLDER_MISSING');
  }
  return ok('sync folder', `${folder} (set up, writable)`);
}

export function checkTracker(context: CliContext): CheckResult {
  const path = trackerPathOf(context);
  if (!existsSync(path)) return ok('tracker', 'no database yet (created by the first sync)');
  try {
    const { counts } = readSyncStatus(path, 1);
    return ok('tracker', `${counts.downloaded} files tracked, ${counts.deletedLocally} deleted locally, ${counts.pendingErrors} to retry`);
  } catch (error) {
    return fail('tracker', (error as Error).message, errorCodeOf(error) ?? 'DATABASE_CORRUPT');
  }
}

export async function checkSession(client: ICloudClient): Promise<CheckResult[]> {
  if (!existsSync(client.sessionFiles.session)) return [warn('session', 'none stored: run "icloud-photo-sync auth"')];
  const results: CheckResult[] = [];
  const trustEnds = await client.trustExpiresAt();
  const days = trustEnds ? daysUntil(trustEnds) : null;
  if (days === null) results.push(warn('trust', 'unknown expiry'));
  else if (days < 7) results.push(warn('trust', `ends in ${days} days (${formatTime(trustEnds?.getTime())}): then a new code is needed`));
  else results.push(ok('trust', `until ${formatTime(trustEnds?.getTime())} (${days} days)`));
  try {
    const state = await client.auth.resume();
    results.push(state.status === 'ready' ? ok('session', 'works (iCloud accepted it)') : warn('session', 'expired: the next run needs the password (icloud-photo-sync auth)'));
  } catch (error) {
    results.push(fail('session', (error as Error).message, errorCodeOf(error) ?? 'NETWORK'));
  }
  return results;
}

/**
 * Reaches the sign-in and setup hosts. A success answer is ok; a refusal (4xx) proves DNS, routing
 * and TLS work but is no "ok" (the session check tells whether signing in works); a server error
 * (5xx) or no answer fails.
 */
export async function checkConnectivity(client: ICloudClient, context: CliContext): Promise<CheckResult[]> {
  const targets = [client.endpoints.auth, client.endpoints.setup];
  return Promise.all(
    targets.map(
      (url) =>
        new Promise<CheckResult>((resolve) => {
          const target = new URL(url);
          const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
          const req = send(target, { method: 'GET', timeout: 10_000, ...(context.network.dnsLookup ? { lookup: context.network.dnsLookup } : {}) }, (res) => {
            res.resume();
            resolve(judgeAnswer(target.host, res.statusCode ?? 0));
          });
          req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));
          req.on('error', (error) => resolve(fail('connectivity', `${target.host}: ${error.message}`, 'NETWORK')));
          req.end();
        }),
    ),
  );
}

function judgeAnswer(host: string, status: number): CheckResult {
  if (status >= 200 && status < 400) return ok('connectivity', `${host} answered (HTTP ${status})`);
  if (status >= 400 && status < 500) {
    return warn('connectivity', `${host} is reachable but refused the check (HTTP ${status}); the session check shows whether signing in works`);
  }
  return fail('connectivity', `${host} answered with a server error (HTTP ${status}): iCloud has a problem right now; try again later`, 'APPLE_SERVER_ERROR');
}
