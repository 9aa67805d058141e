/**
 * The desktop-notification channel: the tray app implements `DesktopNotifier` with Electron's
 * native notifications and passes it to the service; the daemon has none (the channel is then off).
 */
import type { Notification, NotificationChannel, SendOutcome } from './channel.js';

export interface DesktopNotifier {
  /** Shows one notification; a click opens `url` (the local page) when there is one. */
  show(notification: Pick<Notification, 'title' | 'message' | 'urgent' | 'url'>): void;
}

export class DesktopChannel implements NotificationChannel {
  readonly name = 'desktop' as const;

  constructor(private readonly notifier: DesktopNotifier) {}

  send(notification: Notification): Promise<SendOutcome> {
    // A desktop notification has no link to open: a click opens the app's window.
    const action = notification.urlTitle ? ` Click to ${notification.urlTitle.charAt(0).toLowerCase()}${notification.urlTitle.slice(1)}.` : '';
    this.notifier.show({ title: notification.title, message: notification.message + action, urgent: notification.urgent, url: notification.url });
    return Promise.resolve({ ok: true });
  }

  test(): Promise<SendOutcome> {
    this.notifier.show({ title: 'iCloud Photo Sync', message: 'Notifications from iCloud Photo Sync will look like this.', urgent: false, url: null });
    return Promise.resolve({ ok: true });
  }
}
