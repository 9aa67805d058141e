import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppBridge, AppSnapshot } from '../../src-shared/contract.js';
import { IPC_CHANNELS } from '../../src-shared/ipc-channels.js';

// A fixed list of named functions: the page never sees ipcRenderer itself.
const bridge: AppBridge = {
  getSnapshot: () => ipcRenderer.invoke(IPC_CHANNELS.getSnapshot) as Promise<AppSnapshot>,
  onSnapshot: (listener) => {
    const forward = (_event: IpcRendererEvent, snapshot: AppSnapshot) => listener(snapshot);
    ipcRenderer.on(IPC_CHANNELS.snapshot, forward);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.snapshot, forward);
  },
};

contextBridge.exposeInMainWorld('icloudPhotoSync', bridge);
