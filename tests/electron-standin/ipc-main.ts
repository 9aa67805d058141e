/**
 * `ipcMain` stand-in: the shell's handlers, called with an event that names the sending window and
 * frame the way Electron does (`sender`, `senderFrame.url`), so the shell's sender check runs on
 * what Chromium reports for the frame that called.
 */
export interface StandinIpcEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly origin: string; readonly isMainFrame: boolean } | null;
}

type InvokeHandler = (event: StandinIpcEvent, ...args: unknown[]) => unknown;
type Listener = (event: StandinIpcEvent, ...args: unknown[]) => void;

export class StandinIpcMain {
  private readonly handlers = new Map<string, InvokeHandler>();
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Every invoke the shell refused (its handler threw), for tests: channel and message. */
  readonly refused: Array<{ channel: string; frameUrl: string | null; message: string }> = [];

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  on(channel: string, listener: Listener): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)?.add(listener);
    return this;
  }

  /** An `ipcRenderer.invoke` arriving: the handler's value, or its error message as Electron reports it. */
  async invoke(event: StandinIpcEvent, channel: string, args: unknown[]): Promise<{ value?: unknown; error?: string }> {
    const handler = this.handlers.get(channel);
    if (!handler) return { error: `Error: No handler registered for '${channel}'` };
    try {
      // Electron structured-clones the reply; so does this (a non-cloneable value fails here too).
      return { value: structuredClone(await handler(event, ...args)) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.refused.push({ channel, frameUrl: event.senderFrame?.url ?? null, message });
      return { error: `Error: ${message}` };
    }
  }

  /** An `ipcRenderer.send` arriving. */
  emit(event: StandinIpcEvent, channel: string, args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }
}
