/**
 * What runs inside each window's page before the page's own scripts: stand-ins for the two
 * renderer-side Electron modules a sandboxed preload may use (`contextBridge`, `ipcRenderer`), then
 * the real preload bundle, which gets them from `require('electron')`.
 *
 * - `ipcRenderer` reaches the main side only through a Playwright binding, which this script takes
 *   off `window` before the page can see it, so the page reaches IPC only through what the preload exposes.
 * - `contextBridge.exposeInMainWorld` copies what crosses (structured clone for data, wrappers for
 *   functions and promises, in both directions) and freezes the exposed object, as Electron does.
 * - Like Electron without `nodeIntegrationInSubFrames`, the preload runs in the main frame only.
 *
 * This is one JavaScript world: Electron's isolated world (the preload's globals invisible to the
 * page) is not reproduced; the README says so.
 *
 * The script is a plain string (not a stringified TS function) so no transpiler helper leaks into
 * it, and the preload is pasted in as text because a strict CSP forbids eval in the page.
 */

export const IPC_BINDING = '__electronStandinIpc';

const RENDERER_MODULES = String.raw`
  const call = window[BINDING];
  delete window[BINDING];
  if (window !== window.top) return;

  const listeners = new Map();
  const clone = (value) => (value === undefined ? undefined : structuredClone(value));
  const ipcRenderer = Object.freeze({
    async invoke(channel, ...args) {
      const reply = await call('invoke', channel, clone(args));
      if (reply.error !== undefined) throw new Error("Error invoking remote method '" + channel + "': " + reply.error);
      return reply.value;
    },
    send(channel, ...args) { void call('send', channel, clone(args)); },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    once(channel, listener) {
      const once = (...args) => { ipcRenderer.removeListener(channel, once); listener(...args); };
      return ipcRenderer.on(channel, once);
    },
    removeListener(channel, listener) { listeners.get(channel)?.delete(listener); return ipcRenderer; },
    removeAllListeners(channel) { listeners.delete(channel); return ipcRenderer; },
  });
  // main -> renderer messages arrive by long poll over the same binding, in order.
  (async () => {
    for (;;) {
      let messages;
      try { messages = await call('receive', '', []); } catch { return; }
      for (const { channel, args } of messages) {
        for (const listener of [...(listeners.get(channel) ?? [])]) {
          try { listener({ sender: ipcRenderer }, ...clone(args)); } catch (error) { queueMicrotask(() => { throw error; }); }
        }
      }
    }
  })();

  // Values crossing the bridge: functions and promises wrapped, data copied, exposed objects frozen.
  const hasFunction = (value) => typeof value === 'function' || (value !== null && typeof value === 'object' &&
    (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype) && Object.values(value).some(hasFunction));
  const cross = (value) => {
    if (typeof value === 'function') return function bridged(...args) { return cross(value(...args.map(cross))); };
    if (value instanceof Promise) return value.then(cross, (error) => { throw new Error(error instanceof Error ? error.message : String(error)); });
    if (hasFunction(value)) {
      const copy = Array.isArray(value) ? value.map(cross) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cross(v)]));
      return Object.freeze(copy);
    }
    return clone(value);
  };
  const contextBridge = Object.freeze({
    exposeInMainWorld(key, api) {
      const exposed = cross(api);
      Object.defineProperty(window, key, { value: typeof exposed === 'object' && exposed !== null ? Object.freeze(exposed) : exposed, enumerable: true, writable: false, configurable: false });
    },
  });

  const require = (id) => {
    if (id === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('module not found: ' + id + ' (a sandboxed preload can require only electron)');
  };
  const module = { exports: {} };
`;

/** The init script for a window whose preload bundle is `preloadSource` (CommonJS). */
export function rendererInitScript(preloadSource: string): string {
  return `(() => {\nconst BINDING = ${JSON.stringify(IPC_BINDING)};\n${RENDERER_MODULES}\n;(function (require, module, exports) {\n${preloadSource}\n})(require, module, module.exports);\n})();`;
}
