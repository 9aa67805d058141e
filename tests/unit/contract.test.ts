import { describe, expect, it } from 'vitest';
import { appSnapshotSchema, INITIAL_SNAPSHOT } from '../../src-shared/contract.js';
import { ERROR_CATALOGUE, errorCodeOf } from '../../src-shared/errors.js';

describe('shared contract', () => {
  it('accepts the initial snapshot and refuses a malformed one', () => {
    expect(appSnapshotSchema.parse(INITIAL_SNAPSHOT)).toEqual(INITIAL_SNAPSHOT);
    expect(appSnapshotSchema.safeParse({ ...INITIAL_SNAPSHOT, phase: 'exploding' }).success).toBe(false);
  });

  it('gives every error code a plain message that says what to do', () => {
    for (const [code, message] of Object.entries(ERROR_CATALOGUE)) {
      expect(message.length, code).toBeGreaterThan(20);
      expect(message, code).not.toMatch(/undefined|TODO|\$\{/);
    }
  });

  it('finds the catalogue code an error carries, and reads a full disk from the OS or SQLite as DISK_FULL', () => {
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'WRONG_CODE' }))).toBe('WRONG_CODE');
    expect(errorCodeOf(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toBe('DISK_FULL');
    expect(errorCodeOf(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe('DISK_FULL');
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'EACCES' }))).toBeUndefined();
    expect(errorCodeOf('just a string')).toBeUndefined();
    expect(errorCodeOf(null)).toBeUndefined();
  });
});
