import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesktopPrefs } from '../../src-main/shell/desktop-prefs.js';
import { trayVariant } from '../../src-main/shell/tray-variant.js';

describe('tray icon set for the panel', () => {
  it('follows Windows\' dark mode; assumes a dark panel on Linux; a chosen panel colour wins everywhere', () => {
    expect(trayVariant('win32', 'auto', true)).toBe('dark');
    expect(trayVariant('win32', 'auto', false)).toBe('light');
    // Linux desktops cannot tell the panel's colour (GTK's dark theme says nothing about the top bar).
    expect(trayVariant('linux', 'auto', false)).toBe('dark');
    expect(trayVariant('linux', 'auto', true)).toBe('dark');
    expect(trayVariant('linux', 'light', true)).toBe('light');
    expect(trayVariant('win32', 'light', true)).toBe('light');
    expect(trayVariant('win32', 'dark', false)).toBe('dark');
  });

  it('reads the choice from desktop.json ("auto" by default; a value the schema refuses resets the file)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tray-variant-'));
    try {
      expect(new DesktopPrefs(dir, '0.1.0').trayPanel).toBe('auto');
      writeFileSync(path.join(dir, 'desktop.json'), JSON.stringify({ trayPanel: 'light' }));
      expect(new DesktopPrefs(dir, '0.1.0').trayPanel).toBe('light');
      writeFileSync(path.join(dir, 'desktop.json'), JSON.stringify({ trayPanel: 'purple' }));
      expect(new DesktopPrefs(dir, '0.1.0').trayPanel).toBe('auto');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
