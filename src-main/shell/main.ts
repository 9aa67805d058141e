/**
 * The Electron entry: only wiring. Everything the app does is in desktop-app.ts, which takes the
 * Electron module as a parameter (tests pass a stand-in); this file is the one place importing it.
 */
import * as electron from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPaths, resolveDataDir } from '../config/paths.js';
import { configureLogging } from '../log/logger.js';
import { startDesktopApp } from './desktop-app.js';

// dist/node/src-main/shell/main.js -> the project root (the app folder once packaged) holds dist/ and build/.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dataDir = resolveDataDir(undefined, process.env);

configureLogging({ logsDir: dataPaths(dataDir).logsDir, fileName: 'app', level: 'info', console: { level: 'warn' } });

void startDesktopApp(electron, {
  dataDir,
  preloadPath: path.join(root, 'dist/preload/preload.cjs'),
  rendererDir: path.join(root, 'dist/renderer'),
  trayIconDir: path.join(root, 'build/tray'),
  windowIconPath: path.join(root, 'build/icon.png'),
  // Unpackaged (npm start), the binary is Electron itself and needs the app folder to start this app.
  appArgs: electron.app.isPackaged ? [] : [root],
}).catch((error: unknown) => {
  console.error('iCloud Photo Sync could not start:', error);
  electron.app.exit(1);
});
