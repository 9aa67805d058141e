/** The Settings view's archive secrets: stored in the service's secrets.json, never sent back, only whether each is set. */
import type { CommandResult } from '../../src-shared/contract.js';
import { CONNECTION_STRING_SECRET, SAS_URL_SECRET } from '../archive/azure-target.js';
import type { SyncService } from './sync-service.js';

type ArchiveSecretName = typeof CONNECTION_STRING_SECRET | typeof SAS_URL_SECRET;
const NAMES: ArchiveSecretName[] = [CONNECTION_STRING_SECRET, SAS_URL_SECRET];

export function archiveSecrets(service: SyncService): CommandResult<'archive-secrets'> {
  const secrets = service.secrets;
  return { keys: NAMES.map((name) => ({ name, set: secrets.sourceOf(name) !== null })) };
}

export function saveArchiveSecret(service: SyncService, name: ArchiveSecretName, value: string | null): CommandResult<'save-archive-secret'> {
  const secrets = service.secrets;
  if (value === null) secrets.clear(name);
  else secrets.set(name, value);
  return archiveSecrets(service);
}
