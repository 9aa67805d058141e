/**
 * Which tray icon set to show: `dark` (white glyphs, for dark panels) or `light` (dark glyphs, for
 * light panels). Windows says whether it uses dark colours (nativeTheme.shouldUseDarkColors, which
 * follows "Choose your default app mode"; the taskbar usually matches it). Linux has no reliable way
 * to learn a panel's colour, so there the person's choice in desktop.json decides, dark by default
 * (GNOME's top bar, KDE's default panel and most others are dark).
 */
import type { TrayVariant } from './tray-controller.js';

/** desktop.json's `trayPanel`: `auto` follows the system where it can say, else assumes a dark panel. */
export const TRAY_PANEL_CHOICES = ['auto', 'dark', 'light'] as const;
export type TrayPanelChoice = (typeof TRAY_PANEL_CHOICES)[number];

export function trayVariant(platform: NodeJS.Platform, choice: TrayPanelChoice, systemUsesDarkColors: boolean): TrayVariant {
  if (choice !== 'auto') return choice;
  if (platform === 'win32') return systemUsesDarkColors ? 'dark' : 'light';
  return 'dark';
}
