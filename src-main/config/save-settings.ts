/**
 * Writes settings into the config file (JSON), keeping every other key already there. Used by
 * `setup`, so that the Apple ID and folder it was given need not be repeated on later commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Settings } from './settings.js';
import { writePrivateFileAtomic } from './paths.js';

export function saveSettings(configFile: string, values: Partial<Settings>): void {
  let current: Record<string, unknown> = {};
  if (existsSync(configFile)) {
    // loadSettings already read and validated this file in the same command: it is a JSON object.
    current = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  }
  writePrivateFileAtomic(configFile, `${JSON.stringify({ ...current, ...values }, null, 2)}\n`);
}
