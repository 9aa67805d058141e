/** `Notification` recorded: a test reads what was shown and clicks one as a user would. */
import { EventEmitter } from 'node:events';
import type { Readiness } from './app.js';

export interface NotificationOptions { title: string; body: string; silent?: boolean; urgency?: string; icon?: string }

export class StandinNotification extends EventEmitter {
  shown = false;
  constructor(readonly options: NotificationOptions) {
    super();
  }
  show(): void { this.shown = true; }
  close(): void { this.emit('close'); }
  /** The user clicks the notification. */
  click(): void {
    if (!this.shown) throw new Error(`notification "${this.options.title}" was never shown`);
    this.emit('click');
  }
}

export function notificationClass(log: StandinNotification[], supported: () => boolean, app: Readiness) {
  return class Notification extends StandinNotification {
    constructor(options: NotificationOptions) {
      app.requireReady('Cannot create Notification before app is ready');
      super(options);
      log.push(this);
    }
    static isSupported(): boolean { return supported(); }
  };
}
