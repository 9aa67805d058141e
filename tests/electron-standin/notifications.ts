/** `Notification` recorded: a test reads what was shown and clicks one as a user would. */
import { EventEmitter } from 'node:events';

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

export function notificationClass(log: StandinNotification[], supported: () => boolean) {
  return class Notification extends StandinNotification {
    constructor(options: NotificationOptions) {
      super(options);
      log.push(this);
    }
    static isSupported(): boolean { return supported(); }
  };
}
