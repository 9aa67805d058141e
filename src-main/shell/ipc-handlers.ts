/**
 * The main process's side of the preload: answers only the app's own pages, parses every argument
 * with the contract's schemas before anything acts on it, and pushes the service's events to every
 * window. The sender must be both a window the shell created and a frame showing app://ui/.
 */
import { z } from 'zod';
import { appCommandSchema, THUMBNAIL_NOT_AVAILABLE, type AppBridge, type AppEvent, type CommandReply } from '../../src-shared/contract.js';
import { desktopCommandSchema, type DesktopCommand, type DesktopCommandType, type DesktopReply, type DesktopResult } from '../../src-shared/desktop.js';
import { IPC_CHANNELS } from '../../src-shared/ipc-channels.js';
import { isAppUrl } from './app-protocol.js';
import type { ElectronApis, IpcInvokeEvent } from './electron-apis.js';

export type DesktopHandlers = { [T in DesktopCommandType]: (command: Extract<DesktopCommand, { type: T }>) => Promise<DesktopResult<T>> };

export interface IpcHandlerOptions {
  bridge: AppBridge;
  /** True for the webContents id of a window the shell created. */
  isOwnWindow(webContentsId: number): boolean;
  desktop: DesktopHandlers;
}

export class IpcRefused extends Error {}

/** An iCloud record name: short, printable. */
const assetIdSchema = z.string().min(1).max(512);

/** Throws unless the message comes from one of our windows showing one of our pages. */
export function assertOwnSender(event: IpcInvokeEvent, isOwnWindow: (id: number) => boolean): void {
  const url = event.senderFrame?.url ?? '';
  if (!isOwnWindow(event.sender.id) || !isAppUrl(url)) {
    // The URL is not echoed: it could carry anything a page put in it.
    throw new IpcRefused('IPC refused: the message did not come from one of the app\'s own pages.');
  }
}

export function registerIpcHandlers(ipcMain: ElectronApis['ipcMain'], options: IpcHandlerOptions): void {
  ipcMain.handle(IPC_CHANNELS.getSnapshot, (event) => {
    assertOwnSender(event, options.isOwnWindow);
    return options.bridge.getSnapshot();
  });
  ipcMain.handle(IPC_CHANNELS.command, (event, raw) => {
    assertOwnSender(event, options.isOwnWindow);
    const parsed = appCommandSchema.safeParse(raw);
    if (!parsed.success) return Promise.resolve(refusedCommand(parsed.error.issues[0]?.message));
    return options.bridge.send(parsed.data);
  });
  ipcMain.handle(IPC_CHANNELS.thumbnail, (event, raw) => {
    assertOwnSender(event, options.isOwnWindow);
    const assetId = assetIdSchema.safeParse(raw);
    return assetId.success ? options.bridge.getThumbnail(assetId.data) : Promise.resolve({ available: false, message: THUMBNAIL_NOT_AVAILABLE });
  });
  ipcMain.handle(IPC_CHANNELS.desktop, async (event, raw): Promise<DesktopReply<DesktopCommandType>> => {
    assertOwnSender(event, options.isOwnWindow);
    const parsed = desktopCommandSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, message: 'This request is not one the app understands.' };
    const command = parsed.data;
    const handler = options.desktop[command.type] as (command: DesktopCommand) => Promise<DesktopResult<DesktopCommandType>>;
    try {
      return { ok: true, result: await handler(command) };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  });
}

function refusedCommand(detail: string | undefined): CommandReply<'sync-now'> {
  return { ok: false, error: { code: 'CONFIG_INVALID', message: `This request is not one the app understands: ${detail ?? 'invalid'}.` } };
}

/** Sends every service event to every open window; returns the unsubscribe function. */
export function pushEvents(bridge: AppBridge, targets: () => ReadonlyArray<{ send(channel: string, event: AppEvent): void }>): () => void {
  return bridge.onEvent((event) => {
    for (const target of targets()) target.send(IPC_CHANNELS.event, event);
  });
}
