/** IPC channel names, shared by the main process and the preload so they cannot drift. */
export const IPC_CHANNELS = {
  getSnapshot: 'app:get-snapshot',
  snapshot: 'app:snapshot',
} as const;
