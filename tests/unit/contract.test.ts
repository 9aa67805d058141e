import { describe, expect, it } from 'vitest';
import {
  appCommandSchema,
  appEventSchema,
  appSnapshotSchema,
  commandReplySchema,
  INITIAL_SNAPSHOT,
  pauseUntil,
  runOutcomeSchema,
} from '../../src-shared/contract.js';
import { ERROR_CATALOGUE, errorCodeOf, type ErrorCode } from '../../src-shared/errors.js';
import { ACTION_WORDING, actionOf, messageFor } from '../../src-shared/user-actions.js';
import type { RunOutcome } from '../../src-main/tracker/tracker-types.js';

// Every outcome the engine records, by type: a new engine outcome fails to compile here.
const ENGINE_OUTCOMES: Record<Exclude<RunOutcome, 'running'>, true> = {
  success: true,
  partial: true,
  failed: true,
  'mass-deletion': true,
  'folder-missing': true,
  'disk-full': true,
  interrupted: true,
};

describe('shared contract', () => {
  it('accepts the initial snapshot and refuses a malformed one', () => {
    expect(appSnapshotSchema.parse(INITIAL_SNAPSHOT)).toEqual(INITIAL_SNAPSHOT);
    expect(appSnapshotSchema.safeParse({ ...INITIAL_SNAPSHOT, state: 'exploding' }).success).toBe(false);
    expect(appSnapshotSchema.safeParse({ ...INITIAL_SNAPSHOT, nextRunAt: 'tomorrow' }).success).toBe(false);
  });

  it('has a value for every run outcome the engine records (a disk-full or mass-deletion run parses)', () => {
    expect([...runOutcomeSchema.options].sort()).toEqual(Object.keys(ENGINE_OUTCOMES).sort());
    const lastRun = {
      id: 3, startedAt: '2026-01-02T03:04:05.000Z', finishedAt: '2026-01-02T03:05:05.000Z', outcome: 'disk-full',
      downloaded: 2, failed: 0, bytes: 10, deletedNoticed: 0, errorCode: 'DISK_FULL',
    };
    expect(appSnapshotSchema.safeParse({ ...INITIAL_SNAPSHOT, state: 'error', lastRun, recentRuns: [lastRun] }).success).toBe(true);
  });

  it('parses commands by type and refuses unknown or incomplete ones', () => {
    expect(appCommandSchema.parse({ type: 'confirm-deletions', count: 12 })).toEqual({ type: 'confirm-deletions', count: 12 });
    expect(appCommandSchema.safeParse({ type: 'confirm-deletions' }).success).toBe(false);
    expect(appCommandSchema.safeParse({ type: 'format-disk' }).success).toBe(false);
    expect(appCommandSchema.safeParse({ type: 'pause', until: 'soon' }).success).toBe(false);
    expect(appCommandSchema.safeParse({ type: 'pause', until: null }).success).toBe(true);
  });

  it('parses replies with the result schema of their command', () => {
    const schema = commandReplySchema('sync-now');
    expect(schema.safeParse({ ok: true, result: { started: false, reason: 'already-running' } }).success).toBe(true);
    expect(schema.safeParse({ ok: true, result: { saved: [] } }).success).toBe(false);
    expect(schema.safeParse({ ok: false, error: { code: 'THROTTLED', message: 'wait' } }).success).toBe(true);
    expect(appEventSchema.safeParse({ type: 'snapshot', snapshot: INITIAL_SNAPSHOT }).success).toBe(true);
  });

  it('computes pause ends from the menu choices', () => {
    const now = new Date(2026, 4, 10, 22, 15);
    expect(pauseUntil('30m', now)).toBe(new Date(now.getTime() + 30 * 60_000).toISOString());
    expect(pauseUntil('tomorrow', now)).toBe(new Date(2026, 4, 11, 6, 0).toISOString());
    expect(pauseUntil('until-resumed', now)).toBeNull();
  });

  it('gives every error code a plain message that says what to do', () => {
    for (const [code, message] of Object.entries(ERROR_CATALOGUE)) {
      expect(message.length, code).toBeGreaterThan(20);
      expect(message, code).not.toMatch(/undefined|TODO|\$\{/);
    }
  });

  it('words actions per surface: the CLI names a command, the app names a button', () => {
    for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) {
      expect(messageFor(code, 'app'), code).not.toMatch(/icloud-photo-sync |--[a-z]/);
    }
    expect(actionOf('MASS_DELETION')).toBe('confirm-deletions');
    expect(messageFor('MASS_DELETION', 'app')).toContain('"Confirm deletions"');
    expect(messageFor('MASS_DELETION', 'cli')).toContain('--confirm-deletions');
    expect(ACTION_WORDING['sign-in'].cli).toContain('icloud-photo-sync auth');
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
