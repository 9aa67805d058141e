/** Translates the user's settings into the sync engine's options (one place for the CLI and the app). */
import type { SyncOptionsInput } from '../sync/sync-options.js';
import { TEMPLATE_PRESETS } from '../sync/naming/path-template.js';
import type { Settings } from './settings.js';

export function toSyncOptions(settings: Settings): SyncOptionsInput {
  const preset = Object.hasOwn(TEMPLATE_PRESETS, settings.layout)
    ? TEMPLATE_PRESETS[settings.layout as keyof typeof TEMPLATE_PRESETS]
    : settings.layout;
  return {
    photos: settings.media !== 'videos',
    videos: settings.media !== 'photos',
    livePhotoVideos: settings.liveVideos,
    originals: settings.versions !== 'edited',
    edited: settings.versions !== 'original',
    rawAlternatives: settings.rawAlternatives,
    includeShared: settings.sharedLibrary,
    includeHidden: settings.hidden,
    recent: settings.recent ?? null,
    capturedAfter: settings.after ? Date.parse(settings.after) : null,
    albums: settings.albums,
    template: preset,
    concurrency: settings.concurrency,
    massDeletionShare: settings.massDeletionThreshold,
  };
}
