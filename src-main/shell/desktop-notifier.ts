/**
 * The service's desktop notification channel as native notifications. A click opens the window that
 * answers the notification at the time of the click (the code popup while a code is still needed,
 * else the status window), whatever the notification said when it was shown.
 */
import type { DesktopNotifier } from '../notify/channels/desktop.js';
import type { ElectronApis, NotificationLike } from './electron-apis.js';

/** Windows shows notifications only for an app with this id (the installer's shortcut carries it). */
export const APP_USER_MODEL_ID = 'io.github.icloud-photo-sync';

export function desktopNotifier(electron: Pick<ElectronApis, 'Notification'>, openRightWindow: () => void, iconPath?: string): DesktopNotifier {
  // Kept until clicked or replaced: a notification object collected early loses its click handler.
  const shown = new Set<NotificationLike>();
  return {
    show({ title, message, urgent }) {
      if (!electron.Notification.isSupported()) return;
      const notification = new electron.Notification({ title, body: message, urgency: urgent ? 'critical' : 'normal', ...(iconPath ? { icon: iconPath } : {}) });
      shown.add(notification);
      if (shown.size > 20) shown.delete(shown.values().next().value as NotificationLike);
      notification.on('click', () => {
        shown.delete(notification);
        openRightWindow();
      });
      notification.show();
    },
  };
}
