/** An Electron-style event whose default action a listener may cancel. */
export interface Preventable { defaultPrevented: boolean; preventDefault(): void }

export function preventable(): Preventable {
  const event = { defaultPrevented: false, preventDefault: () => { event.defaultPrevented = true; } };
  return event;
}
