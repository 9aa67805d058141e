import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppBridge, AppEvent, AppSnapshot, ThumbnailReply } from '../../src-shared/contract.js';
import { IPC_CHANNELS } from '../../src-shared/ipc-channels.js';

function subscribe(listener: (event: AppEvent) => void): () => void {
  const forward = (_event: IpcRendererEvent, event: AppEvent) => listener(event);
  ipcRenderer.on(IPC_CHANNELS.event, forward);
  return () => ipcRenderer.removeListener(IPC_CHANNELS.event, forward);
}

// A fixed list of named functions: the page never sees ipcRenderer itself. The page parses what
// arrives with the contract's schemas.
const bridge: AppBridge = {
  getSnapshot: () => ipcRenderer.invoke(IPC_CHANNELS.getSnapshot) as Promise<AppSnapshot>,
  onSnapshot: (listener) => subscribe((event) => event.type === 'snapshot' && listener(event.snapshot)),
  onEvent: subscribe,
  send: (command) => ipcRenderer.invoke(IPC_CHANNELS.command, command) as never,
  getThumbnail: (assetId) => ipcRenderer.invoke(IPC_CHANNELS.thumbnail, assetId) as Promise<ThumbnailReply>,
};

contextBridge.exposeInMainWorld('icloudPhotoSync', bridge);
