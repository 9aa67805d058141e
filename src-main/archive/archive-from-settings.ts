/** The archive run's input and options from the user's settings (one place for the CLI and the service). */
import type { SecretsStore } from '../config/secrets-store.js';
import type { Settings } from '../config/settings.js';
import type { ArchiveRunInput, ArchiveRunOptions } from './archive-run.js';
import { openArchiveContainer } from './azure-target.js';

export type ArchiveSettingsOptions = Pick<ArchiveRunOptions, 'prefix' | 'tier' | 'concurrency' | 'mirror' | 'massDeletionShare'>;

export function archiveOptionsOf(settings: Settings): ArchiveSettingsOptions {
  return {
    prefix: settings.archivePrefix,
    tier: settings.archiveTier,
    concurrency: settings.archiveConcurrency,
    mirror: settings.archiveMirror,
    massDeletionShare: settings.massDeletionThreshold,
  };
}

export function archiveInputOf(settings: Settings, folder: string, databasePath: string, secrets: SecretsStore): ArchiveRunInput {
  return { folder, databasePath, openContainer: () => openArchiveContainer(settings, secrets) };
}
