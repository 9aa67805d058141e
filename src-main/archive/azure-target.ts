/**
 * The archive's blob container, signed in the way the settings say: Microsoft Entra ID through
 * DefaultAzureCredential (managed identity, workload identity, the Azure CLI's login, environment),
 * or a connection string or SAS URL kept in secrets.json. The SDK's retries are off: ours honour
 * Retry-After (azure-errors.ts).
 */
import { AnonymousCredential, BlobServiceClient, ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import type { SecretsStore } from '../config/secrets-store.js';
import type { Settings } from '../config/settings.js';
import { UserError } from '../config/user-error.js';
import { ArchiveError } from './azure-errors.js';

export const CONNECTION_STRING_SECRET = 'archive-connection-string';
export const SAS_URL_SECRET = 'archive-sas-url';

export type ArchiveSettings = Pick<Settings, 'archiveAccountUrl' | 'archiveContainer' | 'archiveCredential'>;

const PIPELINE: StoragePipelineOptions = {
  retryOptions: { maxTries: 1 },
  userAgentOptions: { userAgentPrefix: 'icloud-photo-sync' },
};

export async function openArchiveContainer(settings: ArchiveSettings, secrets: SecretsStore): Promise<ContainerClient> {
  const container = settings.archiveContainer;
  switch (settings.archiveCredential) {
    case 'connection-string': {
      const text = requireSecret(secrets, CONNECTION_STRING_SECRET);
      if (!container) throw notSetUp('archiveContainer is not set.');
      try {
        return BlobServiceClient.fromConnectionString(text, PIPELINE).getContainerClient(container);
      } catch (error) {
        // The SDK's message may quote the string (and its key): say what is wrong without it.
        throw new UserError('CONFIG_INVALID', `The secret ${CONNECTION_STRING_SECRET} is not a usable Azure Storage connection string.`, { cause: error });
      }
    }
    case 'sas-url': {
      const url = requireSecret(secrets, SAS_URL_SECRET);
      // A container SAS names its container in the path; an account SAS needs archiveContainer.
      const asContainer = new ContainerClient(url, new AnonymousCredential(), PIPELINE);
      if (asContainer.containerName) {
        if (container && container !== asContainer.containerName) {
          throw new UserError('CONFIG_INVALID', `The SAS URL is for the container "${asContainer.containerName}", but archiveContainer is "${container}": make them the same.`);
        }
        return asContainer;
      }
      if (!container) throw notSetUp('archiveContainer is not set.');
      return new BlobServiceClient(url, new AnonymousCredential(), PIPELINE).getContainerClient(container);
    }
    case 'identity': {
      if (!settings.archiveAccountUrl || !container) throw notSetUp('archiveAccountUrl and archiveContainer must both be set.');
      // Loaded only here: most users never sign in to Azure this way.
      const { DefaultAzureCredential } = await import('@azure/identity');
      return new BlobServiceClient(settings.archiveAccountUrl, new DefaultAzureCredential(), PIPELINE).getContainerClient(container);
    }
  }
}

function requireSecret(secrets: SecretsStore, name: string): string {
  const value = secrets.get(name);
  if (!value) throw notSetUp(`The secret ${name} is not saved: store it with "secret set ${name}" (or "Archive" in the app's Settings).`);
  return value;
}

function notSetUp(detail: string): ArchiveError {
  return new ArchiveError('ARCHIVE_NOT_SET_UP', detail);
}
