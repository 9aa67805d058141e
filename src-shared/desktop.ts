/**
 * What only the tray app can do (the local web page and the daemon leave `AppBridge.desktop`
 * undefined): open the photos folder in the file manager, pick a folder with the native dialog,
 * launch at login, keep the local web page on, and say whether the Apple ID password can be stored
 * safely on this desktop.
 */
import { z } from 'zod';

export const desktopCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open-folder') }),
  /** The native folder picker; the reply's path is null when the person cancelled. */
  z.object({ type: z.literal('pick-folder') }),
  z.object({ type: z.literal('desktop-info') }),
  z.object({ type: z.literal('set-launch-at-login'), enabled: z.boolean() }),
  /** Serve the local web page all the time (otherwise it starts only while a code or a notification needs it). */
  z.object({ type: z.literal('set-web-page-always-on'), enabled: z.boolean() }),
]);
export type DesktopCommand = z.infer<typeof desktopCommandSchema>;
export type DesktopCommandType = DesktopCommand['type'];

export const desktopInfoSchema = z.object({
  launchAtLogin: z.boolean(),
  webPageAlwaysOn: z.boolean(),
  /** Whether a password typed into the sign-in is kept (encrypted by the OS) for unattended re-sign-ins. */
  passwordStorage: z.object({ available: z.boolean(), reason: z.string().nullable() }),
});
export type DesktopInfo = z.infer<typeof desktopInfoSchema>;

export const desktopResultSchemas = {
  'open-folder': z.object({ opened: z.boolean(), message: z.string().nullable() }),
  'pick-folder': z.object({ path: z.string().nullable() }),
  'desktop-info': desktopInfoSchema,
  'set-launch-at-login': z.object({ launchAtLogin: z.boolean() }),
  'set-web-page-always-on': z.object({ webPageAlwaysOn: z.boolean() }),
} satisfies Record<DesktopCommandType, z.ZodType>;

export type DesktopResult<T extends DesktopCommandType> = z.infer<(typeof desktopResultSchemas)[T]>;
export type DesktopReply<T extends DesktopCommandType> = { ok: true; result: DesktopResult<T> } | { ok: false; message: string };

export interface DesktopBridge {
  send<C extends DesktopCommand>(command: C): Promise<DesktopReply<C['type']>>;
}
