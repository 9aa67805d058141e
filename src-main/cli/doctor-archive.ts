/**
 * `doctor`'s checks of the Azure archive, when it is on: the credential of the chosen kind is
 * there, the container is named, and the account answers for the container. An account that cannot
 * be reached is a warning (the archive tries again after the next sync; the photo sync never
 * depends on it); an answer that refuses the credentials or lacks the container is a failure.
 */
import { errorCodeOf } from '../../src-shared/errors.js';
import { CONNECTION_STRING_SECRET, SAS_URL_SECRET, openArchiveContainer } from '../archive/azure-target.js';
import { toArchiveError } from '../archive/azure-errors.js';
import { SecretsStore } from '../config/secrets-store.js';
import type { CliContext } from './context.js';
import type { CheckResult } from './doctor-checks.js';

const REACH_TIMEOUT_MS = 10_000;

export async function checkArchive(context: CliContext, options: { offline: boolean }): Promise<CheckResult[]> {
  const settings = context.settings;
  if (!settings.archiveEnabled) return [{ check: 'archive', status: 'ok', detail: 'off (nothing to check)' }];
  const secrets = new SecretsStore(context.paths.root);
  const credential = checkCredential(settings.archiveCredential, settings.archiveAccountUrl, secrets);
  const container = settings.archiveContainer
    ? ok('archive container', `${settings.archiveContainer} (a valid container name)`)
    : settings.archiveCredential === 'sas-url'
      ? ok('archive container', 'taken from the SAS URL')
      : fail('archive container', 'not set: icloud-photo-sync config set archiveContainer <name> (3 to 63 lower-case letters, digits and single hyphens)');
  const results = [credential, container];
  if (results.some((r) => r.status === 'fail')) return results;
  if (options.offline) return [...results, { check: 'archive account', status: 'warn', detail: 'not contacted (--offline)' }];
  return [...results, await checkReachable(context, secrets)];
}

function checkCredential(kind: string, accountUrl: string | undefined, secrets: SecretsStore): CheckResult {
  if (kind === 'identity') {
    return accountUrl
      ? ok('archive credential', `Microsoft Entra ID (managed identity, workload identity, Azure CLI login or environment) for ${accountUrl}`)
      : fail('archive credential', 'archiveAccountUrl is not set: icloud-photo-sync config set archiveAccountUrl https://<account>.blob.core.windows.net');
  }
  const name = kind === 'sas-url' ? SAS_URL_SECRET : CONNECTION_STRING_SECRET;
  const source = secrets.sourceOf(name);
  return source
    ? ok('archive credential', `${kind}: the secret ${name} is stored (${source})`)
    : fail('archive credential', `${kind} is chosen, but the secret ${name} is not stored: icloud-photo-sync secret set ${name} (or "Archive" in the app's Settings)`);
}

/** One read-only request (does the container exist?): proves the address, the credential and the container. */
async function checkReachable(context: CliContext, secrets: SecretsStore): Promise<CheckResult> {
  try {
    const container = await openArchiveContainer(context.settings, secrets);
    const exists = await container.exists({ abortSignal: AbortSignal.timeout(REACH_TIMEOUT_MS) });
    if (!exists) {
      return { ...fail('archive account', `reachable, but the container ${container.containerName} does not exist there: create it (see README, "Off-site archive")`), code: 'ARCHIVE_CONTAINER_MISSING' };
    }
    return ok('archive account', `${new URL(container.url).host} answered; the container ${container.containerName} exists`);
  } catch (error) {
    const archiveError = toArchiveError(error);
    const code = errorCodeOf(archiveError);
    const message = archiveError instanceof Error ? archiveError.message : String(archiveError);
    const timedOut = (error as Error | null)?.name === 'AbortError' || (error as Error | null)?.name === 'TimeoutError';
    if (code === 'ARCHIVE_UNREACHABLE' || timedOut) {
      return { check: 'archive account', status: 'warn', detail: `not reachable now (${timedOut ? `no answer within ${REACH_TIMEOUT_MS / 1000} s` : message}); the archive tries again after the next sync, photo syncing goes on` };
    }
    return { ...fail('archive account', message), code: code ?? 'CONFIG_INVALID' };
  }
}

function ok(check: string, detail: string): CheckResult {
  return { check, status: 'ok', detail };
}

function fail(check: string, detail: string): CheckResult {
  return { check, status: 'fail', detail, code: 'ARCHIVE_NOT_SET_UP' };
}
