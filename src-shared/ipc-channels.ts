/** IPC channel names, shared by the main process and the preload so they cannot drift. */
export const IPC_CHANNELS = {
  getSnapshot: 'app:get-snapshot',
  /** main -> renderer: AppEvent (snapshot changes included). */
  event: 'app:event',
  /** renderer -> main: AppCommand, answered with a CommandReply. */
  command: 'app:command',
  /** renderer -> main: an assetId, answered with a ThumbnailReply. */
  thumbnail: 'app:thumbnail',
} as const;
