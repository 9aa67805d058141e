/**
 * A small private JSON file in the data folder for the notifier's state (episodes, link tokens):
 * read leniently (a missing or damaged file is an empty state, never a crash of the service),
 * written atomically with mode 0600.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writePrivateFileAtomic } from '../config/paths.js';

export function readStateFile<T>(path: string, empty: T, isValid: (value: unknown) => value is T): T {
  if (!existsSync(path)) return empty;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isValid(parsed) ? parsed : empty;
  } catch {
    return empty;
  }
}

export function writeStateFile(path: string, value: unknown): void {
  writePrivateFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
