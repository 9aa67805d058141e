import { app, BrowserWindow, ipcMain, Menu, Tray, nativeImage, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INITIAL_SNAPSHOT, type AppSnapshot } from '../../src-shared/contract.js';
import { IPC_CHANNELS } from '../../src-shared/ipc-channels.js';

// dist/node/src-main/shell/main.js -> the project root holds dist/renderer and dist/preload.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const snapshot: AppSnapshot = INITIAL_SNAPSHOT;
let window: BrowserWindow | null = null;
let tray: Tray | null = null;

function showWindow(): void {
  if (window) {
    window.show();
    window.focus();
    return;
  }
  window = new BrowserWindow({
    width: 720,
    height: 560,
    show: false,
    webPreferences: {
      preload: path.join(root, 'dist/preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => (window = null));
  void window.loadFile(path.join(root, 'dist/renderer/index.html'));
}

function createTray(): void {
  tray = new Tray(nativeImage.createFromPath(path.join(root, 'build/icon.png')));
  tray.setToolTip('iCloud Photo Sync');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open iCloud Photo Sync', click: showWindow },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
  tray.on('click', showWindow);
}

// One guard for every window: no pop-ups, no navigation away from the app, links open in the browser.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  void app.whenReady().then(() => {
    ipcMain.handle(IPC_CHANNELS.getSnapshot, (event) => {
      if (event.senderFrame?.url.startsWith('file://') !== true) throw new Error('IPC refused: unknown sender');
      return snapshot;
    });
    createTray();
    showWindow();
  });
  // A tray app keeps running when its window closes.
  app.on('window-all-closed', () => undefined);
}
